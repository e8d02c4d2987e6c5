import type { HealthCheck } from './health-check.js';
import {
  checkKeys,
  describe,
  duration,
  invalidOption,
  optionalBoolean,
  optionalNumber,
  optionalString,
  requiredFunction,
} from './validate.js';

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
    throw invalidOption(owner, `checks should be an array of checks, got ${describe(checks)}`);
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
      `should be a check such as { name, run(signal) } or checks.postgres(pool), got ${describe(check)}`,
    );
  }
  // A literal gets its keys checked (a typo such as `critcal` would otherwise go unnoticed); an
  // instance of a class of yours may carry any other fields.
  const proto = Object.getPrototypeOf(check);
  if (proto === Object.prototype || proto === null) checkKeys(where, check, CHECK_KEYS);
  const c = check as HealthCheck;
  const name = optionalString(where, 'name', c.name);
  if (name === undefined) {
    throw invalidOption(where, 'name is required: a non-empty string such as "postgres"');
  }
  const at = `${where} ('${name}')`;
  requiredFunction(at, 'run', c.run);
  if (c.start !== undefined) requiredFunction(at, 'start', c.start);
  if (c.close !== undefined) requiredFunction(at, 'close', c.close);
  const component = optionalString(at, 'component', c.component) ?? name;
  const measurement = optionalString(at, 'measurement', c.measurement);
  return {
    name,
    key: measurement === undefined ? component : `${component}:${measurement}`,
    component,
    measurement,
    componentType: optionalString(at, 'componentType', c.componentType),
    critical: optionalBoolean(at, 'critical', c.critical) ?? true,
    weight: optionalNumber(at, 'weight', c.weight, 0) ?? 1,
    quick: optionalBoolean(at, 'quick', c.quick) ?? false,
    timeout: c.timeout === undefined ? defaultTimeout : duration(at, 'timeout', c.timeout, true),
    run: c.run.bind(c),
    start: c.start?.bind(c),
    close: c.close?.bind(c),
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
