import { backgroundErrorReporter, type Clock, systemClock } from '@vigil/core';
import {
  checkOptionsObject,
  optionalClock,
  optionalDuration,
  optionalInteger,
  optionalOnError,
} from '@vigil/core/options';
import type { StoreOptions } from '../store.js';

/** `StoreOptions` checked and defaulted, as every adapter uses them. */
export interface ResolvedStoreOptions {
  readonly clock: Clock;
  /** Ms, or undefined to keep points forever. */
  readonly retentionMs: number | undefined;
  readonly sweepIntervalMs: number;
  readonly maxDeadLetters: number;
  /** Reports a failure of background work (the sweep): to `onError`, else a warning once. */
  readonly onError: (error: unknown) => void;
}

const COMMON = ['clock', 'retention', 'sweepInterval', 'maxDeadLetters', 'onError'];

/**
 * Checks the common options and rejects unknown keys (`own` lists the adapter's own options).
 * Background errors go to `onError` (core's one route for them), never thrown.
 */
export function resolveStoreOptions(
  adapter: string,
  options: StoreOptions & Record<string, unknown>,
  own: readonly string[],
): ResolvedStoreOptions {
  checkOptionsObject(adapter, options, [...own, ...COMMON]);
  const report = backgroundErrorReporter(
    adapter,
    optionalOnError(adapter, 'onError', options.onError),
  );
  return {
    clock: optionalClock(adapter, 'clock', options.clock) ?? systemClock,
    retentionMs:
      options.retention === false
        ? undefined
        : optionalDuration(adapter, 'retention', options.retention ?? '30d', {
            max: Number.MAX_SAFE_INTEGER,
          }),
    sweepIntervalMs:
      optionalDuration(adapter, 'sweepInterval', options.sweepInterval ?? '1h', {
        positive: true,
      }) ?? 0,
    maxDeadLetters:
      optionalInteger(adapter, 'maxDeadLetters', options.maxDeadLetters, { min: 1 }) ?? 10_000,
    onError: (error) => report(error, 'sweep'),
  };
}
