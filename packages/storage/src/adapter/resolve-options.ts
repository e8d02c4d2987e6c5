import { ConfigurationError, parseDuration } from '@vigil/core';
import { checkOptionsObject } from '@vigil/core/options';
import type { StoreOptions } from '../store.js';

/** `StoreOptions` checked and defaulted, as every adapter uses them. */
export interface ResolvedStoreOptions {
  readonly clock: { now(): number };
  /** Ms, or undefined to keep points forever. */
  readonly retentionMs: number | undefined;
  readonly sweepIntervalMs: number;
  readonly maxDeadLetters: number;
  readonly onError: (error: unknown) => void;
}

const COMMON = ['clock', 'retention', 'sweepInterval', 'maxDeadLetters', 'onError'];

/**
 * Checks the common options and rejects unknown keys (`own` lists the adapter's own options).
 * Background errors go to `onError`, or else to `process.emitWarning`, never thrown.
 */
export function resolveStoreOptions(
  adapter: string,
  options: StoreOptions & Record<string, unknown>,
  own: readonly string[],
): ResolvedStoreOptions {
  checkOptionsObject(adapter, options, [...own, ...COMMON]);
  const maxDeadLetters = options.maxDeadLetters ?? 10_000;
  if (!Number.isInteger(maxDeadLetters) || maxDeadLetters < 1) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${adapter}: maxDeadLetters should be a positive integer, got ${String(options.maxDeadLetters)}`,
    );
  }
  const retention = options.retention ?? '30d';
  const sweepIntervalMs = parseDuration(options.sweepInterval ?? '1h', `${adapter}: sweepInterval`);
  if (sweepIntervalMs <= 0) {
    throw new ConfigurationError(
      'INVALID_DURATION',
      `${adapter}: sweepInterval should be positive`,
    );
  }
  return {
    clock: options.clock ?? { now: () => Date.now() },
    retentionMs:
      retention === false ? undefined : parseDuration(retention, `${adapter}: retention`),
    sweepIntervalMs,
    maxDeadLetters,
    onError:
      options.onError ??
      ((error: unknown) =>
        process.emitWarning(
          `${adapter}: background sweep failed: ${String(error)}`,
          'VigilWarning',
        )),
  };
}
