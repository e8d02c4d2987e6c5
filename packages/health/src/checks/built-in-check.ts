import { checkOptionsObject } from '@vigil/core/options';
import type { CheckOptions, HealthCheck } from '../health-check.js';

/** @internal The options every built-in check takes besides its own. */
export const COMMON_KEYS = [
  'name',
  'component',
  'measurement',
  'componentType',
  'critical',
  'weight',
  'quick',
  'timeout',
] as const satisfies readonly (keyof CheckOptions)[];

/** @internal A built-in check's defaults for the common options. */
export interface CheckDefaults {
  name: string;
  component?: string;
  measurement?: string;
  componentType?: string;
  critical: boolean;
  quick: boolean;
}

/**
 * @internal Assembles a built-in check: checks that `options` has only the common keys and
 * `own`, and lays the common options the caller gave over `defaults`. The monitor checks the
 * common options' values when it is given the check.
 */
export function builtInCheck(
  owner: string,
  options: CheckOptions | undefined,
  own: readonly string[],
  defaults: CheckDefaults,
  parts: Pick<HealthCheck, 'run' | 'start' | 'close'>,
): HealthCheck {
  checkOptionsObject(owner, options, [...COMMON_KEYS, ...own]);
  const check: HealthCheck = { ...defaults, run: parts.run };
  if (parts.start !== undefined) check.start = parts.start;
  if (parts.close !== undefined) check.close = parts.close;
  if (options === undefined) return check;
  const given = options as Record<string, unknown>;
  const target = check as unknown as Record<string, unknown>;
  for (const key of COMMON_KEYS) {
    if (given[key] !== undefined) target[key] = given[key];
  }
  return check;
}

/** @internal Milliseconds with three decimals at most. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** @internal A byte count in MiB, for outputs. */
export function mib(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MiB`;
}
