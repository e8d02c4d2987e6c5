import type { Clock, DurationInput } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  invalidOption,
  optionalDuration,
  optionalInteger,
  optionalRate,
  required,
} from '@vigil/core/options';
import { ConsecutiveFailures } from './consecutive.js';
import { CountWindow } from './count-window.js';
import { TimeWindow } from './time-window.js';
import type { TripPolicy } from './trip-policy.js';

/** When a closed breaker opens. */
export type TripPolicyOptions =
  /** After `threshold` failures in a row. */
  | { kind: 'consecutive'; threshold: number }
  /**
   * When the failure rate over the last `size` calls reaches `failureRate`, once at least
   * `minimumCalls` (default `size`) were recorded.
   */
  | { kind: 'count'; size: number; failureRate: number; minimumCalls?: number | undefined }
  /**
   * When the failure rate over the last `window` reaches `failureRate`, once at least
   * `minimumCalls` (default 10) were recorded in it. The window slides in `buckets` steps
   * (default 10, at most 1,000).
   */
  | {
      kind: 'time';
      window: DurationInput;
      failureRate: number;
      minimumCalls?: number | undefined;
      buckets?: number | undefined;
    };

const OWNER = 'CircuitBreaker';
/** The most buckets of a time window: its memory is fixed, and it should stay small. */
const MAX_BUCKETS = 1000;

/**
 * @internal The trip policy of a breaker's options: `failureThreshold` or `policy` (not both;
 * neither means 5 consecutive failures). `slowRate` is `slowCall.rate`, if given.
 *
 * @throws ConfigurationError `INVALID_OPTION`, `INVALID_DURATION`.
 */
export function tripPolicy(
  policy: unknown,
  failureThreshold: unknown,
  slowRate: number | undefined,
  clock: Clock,
): TripPolicy {
  if (policy !== undefined && failureThreshold !== undefined) {
    throw invalidOption(
      OWNER,
      'give failureThreshold or policy, not both (failureThreshold: n is short for policy: { kind: "consecutive", threshold: n })',
    );
  }
  if (policy === undefined) return consecutive('failureThreshold', failureThreshold ?? 5, slowRate);
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw invalidOption(
      OWNER,
      `policy should be an object with a kind, such as { kind: 'count', size: 100, failureRate: 0.5 }, got ${describeValue(policy)}`,
    );
  }
  const fields = policy as Readonly<Record<string, unknown>>;
  switch (fields['kind']) {
    case 'consecutive':
      checkOptionsObject(`${OWNER} policy`, policy, ['kind', 'threshold']);
      return consecutive('policy.threshold', fields['threshold'], slowRate);
    case 'count':
      checkOptionsObject(`${OWNER} policy`, policy, [
        'kind',
        'size',
        'failureRate',
        'minimumCalls',
      ]);
      return countWindow(fields, slowRate);
    case 'time':
      checkOptionsObject(`${OWNER} policy`, policy, [
        'kind',
        'window',
        'failureRate',
        'minimumCalls',
        'buckets',
      ]);
      return timeWindow(fields, slowRate, clock);
    default:
      throw invalidOption(
        OWNER,
        `policy.kind should be one of "consecutive", "count", "time", got ${describeValue(fields['kind'])}`,
      );
  }
}

function consecutive(field: string, threshold: unknown, slowRate: number | undefined): TripPolicy {
  if (slowRate !== undefined) {
    throw invalidOption(
      OWNER,
      "slowCall.rate applies to the 'count' and 'time' policies; with 'consecutive' a slow call counts as a failure, so leave rate out",
    );
  }
  return new ConsecutiveFailures(positiveInteger(field, threshold));
}

function countWindow(fields: Readonly<Record<string, unknown>>, slowRate: number | undefined) {
  const size = positiveInteger('policy.size', fields['size']);
  const failureRate = requiredRate('policy.failureRate', fields['failureRate']);
  const minimumCalls =
    optionalInteger(OWNER, 'policy.minimumCalls', fields['minimumCalls'], { min: 1 }) ?? size;
  if (minimumCalls > size) {
    throw invalidOption(
      OWNER,
      `policy.size (${size}) should be at least policy.minimumCalls (${minimumCalls}), or the window could never hold enough calls to open`,
    );
  }
  return new CountWindow(size, minimumCalls, failureRate, slowRate ?? failureRate);
}

function timeWindow(
  fields: Readonly<Record<string, unknown>>,
  slowRate: number | undefined,
  clock: Clock,
): TripPolicy {
  const window = required(
    OWNER,
    'policy.window',
    optionalDuration(OWNER, 'policy.window', fields['window'], { positive: true }),
    "a duration such as '1m'",
  );
  const failureRate = requiredRate('policy.failureRate', fields['failureRate']);
  const minimumCalls =
    optionalInteger(OWNER, 'policy.minimumCalls', fields['minimumCalls'], { min: 1 }) ?? 10;
  const buckets =
    optionalInteger(OWNER, 'policy.buckets', fields['buckets'], { min: 1, max: MAX_BUCKETS }) ?? 10;
  return new TimeWindow(window, buckets, minimumCalls, failureRate, slowRate ?? failureRate, clock);
}

function positiveInteger(field: string, value: unknown): number {
  return required(OWNER, field, optionalInteger(OWNER, field, value, { min: 1 }));
}

function requiredRate(field: string, value: unknown): number {
  return required(
    OWNER,
    field,
    optionalRate(OWNER, field, value),
    'a number in (0, 1], such as 0.5',
  );
}
