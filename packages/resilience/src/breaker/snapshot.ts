import { describeValue as describe } from '@vigil/core/options';
import { InvalidStateError } from '../errors.js';
import type { WindowSnapshot } from './trip-policy.js';

/** The version of the breaker snapshot format. */
export const BREAKER_SNAPSHOT_VERSION = 1;

/**
 * A breaker's state as plain JSON, from `breaker.toJSON()`; pass it back as `initialState`
 * (possibly in another process: times are `clock` milliseconds, by default `Date.now()`).
 */
export type BreakerSnapshot =
  | { version: 1; state: 'closed'; window: WindowSnapshot }
  | {
      version: 1;
      state: 'open';
      /** How many times the breaker opened since it last closed (drives the reset backoff). */
      attempt: number;
      openedAt: number;
      /** When the breaker half-opens. */
      halfOpenAt: number;
    }
  | { version: 1; state: 'half-open'; attempt: number }
  | { version: 1; state: 'isolated' };

/**
 * Validates data claimed to be a breaker snapshot (it may come from storage): anything malformed,
 * or a window of another trip policy than `kind`, throws `InvalidStateError`.
 */
export function parseSnapshot(value: unknown, kind: WindowSnapshot['kind']): BreakerSnapshot {
  const record = object(value, 'initialState');
  if (record['version'] !== BREAKER_SNAPSHOT_VERSION) {
    fail(
      `initialState.version should be ${BREAKER_SNAPSHOT_VERSION}, got ${describe(record['version'])}`,
    );
  }
  switch (record['state']) {
    case 'closed':
      return { version: 1, state: 'closed', window: parseWindow(record['window'], kind) };
    case 'open': {
      const openedAt = finite(record['openedAt'], 'initialState.openedAt');
      const halfOpenAt = finite(record['halfOpenAt'], 'initialState.halfOpenAt');
      if (halfOpenAt < openedAt) {
        fail(
          `initialState.halfOpenAt should not be before openedAt, got ${halfOpenAt} < ${openedAt}`,
        );
      }
      return {
        version: 1,
        state: 'open',
        attempt: attempt(record['attempt']),
        openedAt,
        halfOpenAt,
      };
    }
    case 'half-open':
      return { version: 1, state: 'half-open', attempt: attempt(record['attempt']) };
    case 'isolated':
      return { version: 1, state: 'isolated' };
    default:
      return fail(
        `initialState.state should be 'closed', 'open', 'half-open' or 'isolated', got ${describe(record['state'])}`,
      );
  }
}

function parseWindow(value: unknown, kind: WindowSnapshot['kind']): WindowSnapshot {
  const record = object(value, 'initialState.window');
  if (record['kind'] !== kind) {
    fail(
      `initialState.window.kind is ${describe(record['kind'])} but this breaker's trip policy is '${kind}'; a snapshot restores into a breaker with the same policy kind`,
    );
  }
  if (kind === 'consecutive') {
    return { kind, failures: count(record['failures'], 'initialState.window.failures') };
  }
  if (kind === 'count') {
    const outcomes = record['outcomes'];
    if (
      !Array.isArray(outcomes) ||
      !outcomes.every((o) => o === 0 || o === 1 || o === 2 || o === 3)
    ) {
      fail(
        `initialState.window.outcomes should be an array of 0, 1, 2 or 3, got ${describe(outcomes)}`,
      );
    }
    return { kind, outcomes: [...(outcomes as number[])] };
  }
  const buckets = record['buckets'];
  if (!Array.isArray(buckets)) {
    fail(`initialState.window.buckets should be an array, got ${describe(buckets)}`);
  }
  return {
    kind,
    buckets: (buckets as unknown[]).map((raw, i) => {
      const bucket = object(raw, `initialState.window.buckets[${i}]`);
      const at = `initialState.window.buckets[${i}]`;
      const calls = count(bucket['calls'], `${at}.calls`);
      const failures = count(bucket['failures'], `${at}.failures`);
      const slow = count(bucket['slow'], `${at}.slow`);
      if (failures > calls || slow > calls) {
        fail(`${at} should not count more failures or slow calls than calls, got ${describe(raw)}`);
      }
      return { start: finite(bucket['start'], `${at}.start`), calls, failures, slow };
    }),
  };
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`${field} should be an object from breaker.toJSON(), got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function finite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(`${field} should be a finite number of clock milliseconds, got ${describe(value)}`);
  }
  return value as number;
}

function count(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    fail(`${field} should be a non-negative integer, got ${describe(value)}`);
  }
  return value as number;
}

function attempt(value: unknown): number {
  const n = count(value, 'initialState.attempt');
  if (n < 1) fail(`initialState.attempt should be at least 1, got ${n}`);
  return n;
}

function fail(message: string): never {
  throw new InvalidStateError(message);
}
