import { type DurationInput, parseDuration } from '@vigil/core';
import { describeValue } from '@vigil/core/options';
import type { NewDeadLetter } from '../dead-letter-store.js';
import { StoreError } from '../errors.js';
import type { RangeQuery, SeriesPoint } from '../time-series-store.js';

const AGGREGATIONS = ['avg', 'min', 'max', 'last', 'sum'];

function invalid(message: string): StoreError {
  return new StoreError('STORE_INVALID_ARGUMENT', message);
}

/** A key, namespace, name or owner: a non-empty string of at most 512 characters. */
export function checkName(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 512) {
    throw invalid(
      `${what} should be a non-empty string of at most 512 characters, got ${describeValue(value)}`,
    );
  }
  return value;
}

/**
 * A TTL in ms (> 0). A TTL is a call argument, not configuration: a bad one is a
 * `STORE_INVALID_ARGUMENT` (with core's `INVALID_DURATION` error as its `cause`).
 */
export function ttlMs(what: string, ttl: DurationInput): number {
  let ms: number;
  try {
    ms = parseDuration(ttl, what);
  } catch (error) {
    throw new StoreError(
      'STORE_INVALID_ARGUMENT',
      `${what} should be a positive duration such as 5000, '30s' or '1h', got ${describeValue(ttl)}`,
      { cause: error },
    );
  }
  if (ms <= 0) throw invalid(`${what} should be a positive duration, got ${describeValue(ttl)}`);
  return ms;
}

/** The `expectedVersion` of `compareAndSet`: a non-negative integer (0: must not exist). */
export function checkVersion(version: unknown): number {
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw invalid(
      `expectedVersion should be a non-negative integer (0: the key must not exist), got ${describeValue(version)}`,
    );
  }
  return version;
}

/** A JSON-serialisable value (what `JSON.stringify` keeps). */
export function encodeJson(what: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new StoreError('STORE_INVALID_ARGUMENT', `${what} should be JSON-serialisable`, {
      cause: error,
    });
  }
  if (text === undefined)
    throw invalid(`${what} should be a JSON value, got ${describeValue(value)}`);
  return text;
}

export function checkPoints(points: readonly SeriesPoint[]): void {
  if (!Array.isArray(points))
    throw invalid(`append() takes an array of points, got ${describeValue(points)}`);
  for (const point of points) {
    if (typeof point !== 'object' || point === null)
      throw invalid(`a point should be an object, got ${describeValue(point)}`);
    checkName('point.metric', point.metric);
    if (!Number.isFinite(point.timestamp) || !Number.isFinite(point.value)) {
      throw invalid(
        `point of '${point.metric}' should have a finite timestamp and value, got ${describeValue(point.timestamp)} and ${describeValue(point.value)}`,
      );
    }
    if (typeof point.labels !== 'object' || point.labels === null) {
      throw invalid(`point.labels of '${point.metric}' should be an object of strings`);
    }
    for (const [name, value] of Object.entries(point.labels)) {
      if (typeof value !== 'string') {
        throw invalid(
          `label '${name}' of '${point.metric}' should be a string, got ${describeValue(value)}`,
        );
      }
    }
  }
}

export function checkQuery(query: RangeQuery): void {
  checkName('query.metric', query?.metric);
  if (!Number.isFinite(query.from) || !Number.isFinite(query.to) || query.from > query.to) {
    throw invalid(
      `query.from and query.to should be finite with from ≤ to, got ${describeValue(query.from)} and ${describeValue(query.to)}`,
    );
  }
  if (!Number.isFinite(query.step) || query.step <= 0) {
    throw invalid(`query.step should be a positive number of ms, got ${describeValue(query.step)}`);
  }
  if (query.aggregation !== undefined && !AGGREGATIONS.includes(query.aggregation)) {
    throw invalid(
      `query.aggregation should be one of ${AGGREGATIONS.join(', ')}, got ${describeValue(query.aggregation)}`,
    );
  }
}

export function checkDeadLetter(letter: NewDeadLetter): void {
  if (typeof letter !== 'object' || letter === null)
    throw invalid(`a dead letter should be an object, got ${describeValue(letter)}`);
  if (letter.id !== undefined) checkName('letter.id', letter.id);
  checkName('letter.queue', letter.queue);
  if (typeof letter.error?.message !== 'string')
    throw invalid('letter.error.message should be a string');
  if (!Number.isInteger(letter.attempts) || letter.attempts < 0) {
    throw invalid(
      `letter.attempts should be a non-negative integer, got ${describeValue(letter.attempts)}`,
    );
  }
  if (letter.failedAt !== undefined && !Number.isFinite(letter.failedAt)) {
    throw invalid(
      `letter.failedAt should be ms since the epoch, got ${describeValue(letter.failedAt)}`,
    );
  }
  encodeJson('letter.payload', letter.payload);
}

/** A page size: an integer in 1–10,000; default 100. */
export function checkLimit(limit: number | undefined): number {
  const value = limit ?? 100;
  if (!Number.isInteger(value) || value < 1 || value > 10_000) {
    throw invalid(`limit should be an integer from 1 to 10,000, got ${describeValue(limit)}`);
  }
  return value;
}
