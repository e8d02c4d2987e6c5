import {
  checkOptionsObject,
  describeValue,
  invalidOption,
  optionalBoolean,
  optionalDuration,
  optionalFunction,
  optionalNumber,
  optionalString,
  required,
} from '@vigil/core/options';
import type { HealthCheck } from './health-check.js';

/** @internal A check with its options checked and its defaults applied. */
export interface ResolvedCheck {
  readonly name: string;
  readonly key: string;
  readonly component: string;
  readonly measurement: string | undefined;
  readonly componentType: string | undefined;
  readonly critical: boolean;
  readonly weight: number;
  readonly quick: boolean;
  /** Milliseconds. */
  readonly timeout: number;
  readonly run: HealthCheck['run'];
  readonly start: (() => void) | undefined;
  readonly close: (() => void | PromiseLike<void>) | undefined;
}

const CHECK_KEYS = [
  'name',
  'component',
  'measurement',
  'componentType',
  'critical',
  'weight',
  'quick',
  'timeout',
  'run',
  'start',
  'close',
] as const;

/**
 * @internal Checks every check definition once, at the monitor's construction: a non-empty
 * unique `name`, a `run` function, and well-typed options.
 */
export function resolveChecks(
  owner: string,
  checks: unknown,
  defaultTimeout: number,
): ResolvedCheck[] {
  if (checks === undefined) return [];
  if (!Array.isArray(checks)) {
    throw invalidOption(owner, `checks should be an array of checks, got ${describeValue(checks)}`);
  }
  const names = new Set<string>();
  return checks.map((check: unknown, index) => {
    const resolved = resolveCheck(`${owner}: checks[${index}]`, check, defaultTimeout);
    if (names.has(resolved.name)) {
      throw invalidOption(
        owner,
        `checks[${index}].name '${resolved.name}' is used by another check; give each check a unique name (the name option)`,
      );
    }
    names.add(resolved.name);
    return resolved;
  });
}

function resolveCheck(where: string, check: unknown, defaultTimeout: number): ResolvedCheck {
  if (typeof check !== 'object' || check === null || Array.isArray(check)) {
    throw invalidOption(
      where,
      `should be a check such as { name, run(signal) } or checks.postgres(pool), got ${describeValue(check)}`,
    );
  }
  // A literal gets its keys checked (a typo such as `critcal` would otherwise go unnoticed); an
  // instance of a class of yours may carry any other fields.
  const proto = Object.getPrototypeOf(check);
  if (proto === Object.prototype || proto === null) checkOptionsObject(where, check, CHECK_KEYS);
  const c = check as HealthCheck;
  const name = required(
    where,
    'name',
    optionalString(where, 'name', c.name),
    'a non-empty string such as "postgres"',
  );
  const at = `${where} ('${name}')`;
  const run = required(
    at,
    'run',
    optionalFunction<HealthCheck['run']>(at, 'run', c.run),
    'a function (signal) => outcome',
  );
  const start = optionalFunction<() => void>(at, 'start', c.start);
  const close = optionalFunction<() => void | PromiseLike<void>>(at, 'close', c.close);
  const component = optionalString(at, 'component', c.component) ?? name;
  const measurement = optionalString(at, 'measurement', c.measurement);
  return {
    name,
    key: measurement === undefined ? component : `${component}:${measurement}`,
    component,
    measurement,
    componentType: optionalString(at, 'componentType', c.componentType),
    critical: optionalBoolean(at, 'critical', c.critical) ?? true,
    weight: optionalNumber(at, 'weight', c.weight, { min: 0 }) ?? 1,
    quick: optionalBoolean(at, 'quick', c.quick) ?? false,
    timeout: optionalDuration(at, 'timeout', c.timeout, { positive: true }) ?? defaultTimeout,
    run: run.bind(c),
    start: start?.bind(c),
    close: close?.bind(c),
  };
}

/** @internal Starts every check; when one throws, closes those already started and rethrows. */
export function startChecks(checks: readonly ResolvedCheck[]): void {
  const started: ResolvedCheck[] = [];
  try {
    for (const check of checks) {
      check.start?.();
      started.push(check);
    }
  } catch (error) {
    for (const check of started) {
      try {
        void Promise.resolve(check.close?.()).catch(() => {});
      } catch {
        // The error that matters is the start's.
      }
    }
    throw error;
  }
}
