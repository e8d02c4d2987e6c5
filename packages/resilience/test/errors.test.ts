import { VigilError } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  BreakerOpenError,
  BulkheadFullError,
  InvalidStateError,
  RESILIENCE_ERROR_CODES,
  TimeoutError,
} from '../src/index.js';

describe('errors', () => {
  it.each([
    [new BreakerOpenError('db', 'open', 1200.4), 'BREAKER_OPEN', 'BreakerOpenError'],
    [new TimeoutError(500), 'TIMEOUT', 'TimeoutError'],
    [new BulkheadFullError(4, 10), 'BULKHEAD_FULL', 'BulkheadFullError'],
    [new AbortedError('why'), 'ABORTED', 'AbortedError'],
    [new InvalidStateError('bad'), 'INVALID_BREAKER_STATE', 'InvalidStateError'],
  ])('%s has a stable code, a name, and is a VigilError', (error, code, name) => {
    expect(error).toBeInstanceOf(VigilError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
  });

  it('lists every code once in RESILIENCE_ERROR_CODES', () => {
    expect([...RESILIENCE_ERROR_CODES].sort()).toEqual([
      'ABORTED',
      'BREAKER_OPEN',
      'BULKHEAD_FULL',
      'INVALID_BREAKER_STATE',
      'TIMEOUT',
    ]);
  });

  it('each class has its own brand: instanceof tells the subclasses apart', () => {
    const classes = [
      BreakerOpenError,
      TimeoutError,
      BulkheadFullError,
      AbortedError,
      InvalidStateError,
    ];
    expect(new Set(classes.map((type) => type.brand)).size).toBe(classes.length);
    expect(new TimeoutError(1)).not.toBeInstanceOf(BulkheadFullError);
    expect(new BulkheadFullError(1, 0)).toBeInstanceOf(BulkheadFullError);
    expect(TimeoutError.brand).toBe('vigil.resilience.TimeoutError');
  });

  it('say what happened and what to do', () => {
    expect(new BreakerOpenError('db', 'open', 1200.4).message).toBe(
      "circuit breaker 'db' is open and rejected the call; it half-opens in 1201 ms",
    );
    expect(new BreakerOpenError(undefined, 'half-open', 0).message).toBe(
      'circuit breaker is half-open and rejected the call; its half-open probe calls are all taken',
    );
    expect(new BulkheadFullError(4, 10).message).toBe(
      'the bulkhead is full: 4 calls running and 10 queued; raise concurrency or queue, or shed the load',
    );
    expect(new BreakerOpenError('db', 'isolated', Number.POSITIVE_INFINITY).message).toBe(
      "circuit breaker 'db' is isolated and rejected the call; it is isolated until forceClose() or forceOpen() is called",
    );
    expect(new AbortedError('why').cause).toBe('why');
  });
});
