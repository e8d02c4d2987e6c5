import { rejection } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker } from '../../src/index.js';
import { failTimes, ok, transitions } from '../support/breaker.js';

// forceOpen(), forceClose() and isolate(): the manual controls, named so that none of them can
// be mistaken for the teardown (close()).

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('CircuitBreaker manual control', () => {
  it('forceOpen() opens like a trip, and half-opens after resetTimeout', async () => {
    const breaker = new CircuitBreaker({ resetTimeout: 1000 });
    const seen = transitions(breaker);
    breaker.forceOpen();
    breaker.forceOpen();
    expect(breaker.state).toBe('open');
    await vi.advanceTimersByTimeAsync(1000);
    expect(breaker.state).toBe('half-open');
    expect(seen).toEqual(['closed>open:manual', 'open>half-open:reset-timeout']);
  });

  it('forceClose() closes from any state with an empty window', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2 });
    breaker.forceOpen();
    breaker.forceClose();
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    breaker.isolate();
    breaker.forceClose();
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('closed'); // the earlier failure was forgotten
  });

  it('isolate() rejects every call until forceClose(), even after resetTimeout', async () => {
    const breaker = new CircuitBreaker({ resetTimeout: 1000 });
    const seen = transitions(breaker);
    breaker.isolate();
    breaker.isolate();
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await rejection(breaker.execute(ok));
    expect(error).toMatchObject({ state: 'isolated', retryAfter: Number.POSITIVE_INFINITY });
    expect((error as Error).message).toContain('isolated until forceClose() or forceOpen()');
    breaker.forceClose();
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(seen).toEqual(['closed>isolated:manual', 'isolated>closed:manual']);
  });

  it('isolate() stops the reset timer of an open breaker', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: 1000 });
    await failTimes(breaker, 1);
    breaker.isolate();
    await vi.advanceTimersByTimeAsync(5000);
    expect(breaker.state).toBe('isolated');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('forceOpen() while half-open grows the attempt', async () => {
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      resetTimeout: 100,
      resetBackoff: { maxDelay: 10_000 },
    });
    await failTimes(breaker, 1);
    await vi.advanceTimersByTimeAsync(100);
    breaker.forceOpen();
    expect(breaker.toJSON()).toMatchObject({ state: 'open', attempt: 2 });
  });

  it('has no open() or dispose(), so that closing every part of a service cannot reset it', () => {
    const breaker = new CircuitBreaker();
    expect('open' in breaker).toBe(false);
    expect('dispose' in breaker).toBe(false);
    expect(Symbol.dispose in breaker).toBe(false);
  });
});
