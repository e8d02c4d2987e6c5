import { manualClock } from '@vigil/core/testing';
import { caught } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BreakerOpenError,
  type BreakerSnapshot,
  CircuitBreaker,
  type CircuitBreakerOptions,
  InvalidStateError,
} from '../../src/index.js';

const boom = () => Promise.reject(new Error('boom'));

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** Round-trips through JSON text, as storage would. */
function stored(breaker: CircuitBreaker): BreakerSnapshot {
  return JSON.parse(JSON.stringify(breaker)) as BreakerSnapshot;
}

describe('breaker.toJSON() and initialState', () => {
  it('carries a closed consecutive window over', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3 });
    await breaker.execute(boom).catch(() => undefined);
    await breaker.execute(boom).catch(() => undefined);
    expect(breaker.toJSON()).toEqual({
      version: 1,
      state: 'closed',
      window: { kind: 'consecutive', failures: 2 },
    });
    const restored = new CircuitBreaker({ failureThreshold: 3, initialState: stored(breaker) });
    await restored.execute(boom).catch(() => undefined);
    expect(restored.state).toBe('open');
  });

  it('carries a count window over, oldest outcome first', async () => {
    const options: CircuitBreakerOptions = {
      policy: { kind: 'count', size: 4, minimumCalls: 4, failureRate: 0.5 },
    };
    const breaker = new CircuitBreaker(options);
    for (let i = 0; i < 5; i++) {
      await breaker.execute(i === 3 ? boom : () => i).catch(() => undefined);
    }
    expect(breaker.toJSON()).toEqual({
      version: 1,
      state: 'closed',
      window: { kind: 'count', outcomes: [0, 0, 1, 0] },
    });
    const restored = new CircuitBreaker({ ...options, initialState: stored(breaker) });
    await restored.execute(boom).catch(() => undefined); // [0, 1, 0, 1]: 50 %
    expect(restored.state).toBe('open');
  });

  it('keeps the newest outcomes when restoring into a smaller count window', async () => {
    const initialState: BreakerSnapshot = {
      version: 1,
      state: 'closed',
      window: { kind: 'count', outcomes: [1, 1, 1, 0, 0] },
    };
    const breaker = new CircuitBreaker({
      policy: { kind: 'count', size: 2, failureRate: 0.5 },
      initialState,
    });
    expect(breaker.toJSON()).toMatchObject({ window: { outcomes: [0, 0] } });
  });

  it('carries a time window over and drops buckets that slid out', async () => {
    const clock = manualClock(60_000);
    const options: CircuitBreakerOptions = {
      policy: { kind: 'time', window: '10s', failureRate: 0.5, minimumCalls: 3, buckets: 10 },
      clock,
    };
    const breaker = new CircuitBreaker(options);
    await breaker.execute(boom).catch(() => undefined);
    clock.advance(1000);
    await breaker.execute(() => 1);
    const snapshot = stored(breaker);
    expect(snapshot).toEqual({
      version: 1,
      state: 'closed',
      window: {
        kind: 'time',
        buckets: [
          { start: 60_000, calls: 1, failures: 1, slow: 0 },
          { start: 61_000, calls: 1, failures: 0, slow: 0 },
        ],
      },
    });
    clock.advance(9500); // the bucket at 60 s has slid out
    const restored = new CircuitBreaker({ ...options, initialState: snapshot });
    expect(restored.toJSON()).toMatchObject({ window: { buckets: [{ start: 61_000 }] } });
  });

  it('restores an open breaker that half-opens when its period ends', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: '10s' });
    await breaker.execute(boom).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(4000);
    const snapshot = stored(breaker);
    expect(snapshot).toMatchObject({ state: 'open', attempt: 1 });
    const restored = new CircuitBreaker({ resetTimeout: '10s', initialState: snapshot });
    expect(restored.state).toBe('open');
    await expect(restored.execute(() => 1)).rejects.toMatchObject({ retryAfter: 6000 });
    await vi.advanceTimersByTimeAsync(6000);
    expect(restored.state).toBe('half-open');
  });

  it('restores half-open with fresh probe slots, and isolated', async () => {
    const halfOpen = new CircuitBreaker({
      initialState: { version: 1, state: 'half-open', attempt: 2 },
    });
    expect(halfOpen.state).toBe('half-open');
    await expect(halfOpen.execute(() => 'probe')).resolves.toBe('probe');
    expect(halfOpen.state).toBe('closed');
    const isolated = new CircuitBreaker({ initialState: { version: 1, state: 'isolated' } });
    await expect(isolated.execute(() => 1)).rejects.toBeInstanceOf(BreakerOpenError);
    expect(isolated.toJSON()).toEqual({ version: 1, state: 'isolated' });
  });

  it('exports half-open as half-open with its attempt', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: 100 });
    await breaker.execute(boom).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(100);
    expect(breaker.toJSON()).toEqual({ version: 1, state: 'half-open', attempt: 1 });
  });

  it.each([
    [null, 'initialState should be an object'],
    [{ version: 2, state: 'closed' }, 'initialState.version should be 1, got 2'],
    [
      { version: 1, state: 'ajar' },
      "initialState.state should be 'closed', 'open', 'half-open' or 'isolated'",
    ],
    [{ version: 1, state: 'closed' }, 'initialState.window should be an object'],
    [
      { version: 1, state: 'closed', window: { kind: 'count', outcomes: [] } },
      "initialState.window.kind is \"count\" but this breaker's trip policy is 'consecutive'",
    ],
    [
      { version: 1, state: 'closed', window: { kind: 'consecutive', failures: -1 } },
      'initialState.window.failures should be a non-negative integer',
    ],
    [
      { version: 1, state: 'open', attempt: 1, openedAt: 'yesterday', halfOpenAt: 5 },
      'initialState.openedAt should be a finite number',
    ],
    [
      { version: 1, state: 'open', attempt: 1, openedAt: 10, halfOpenAt: 5 },
      'initialState.halfOpenAt should not be before openedAt',
    ],
    [{ version: 1, state: 'half-open', attempt: 0 }, 'initialState.attempt should be at least 1'],
  ])('rejects the malformed state %j with INVALID_BREAKER_STATE', (initialState, message) => {
    const error = caught(
      () => new CircuitBreaker({ initialState: initialState as unknown as BreakerSnapshot }),
    );
    expect(error).toBeInstanceOf(InvalidStateError);
    expect(error).toMatchObject({ code: 'INVALID_BREAKER_STATE' });
    expect((error as Error).message).toContain(message);
  });

  it.each([
    [{ kind: 'count', outcomes: [0, 4] }, 'outcomes should be an array of 0, 1, 2 or 3'],
    [{ kind: 'time', buckets: {} }, 'buckets should be an array'],
    [
      { kind: 'time', buckets: [{ start: 0, calls: 1, failures: 2, slow: 0 }] },
      'should not count more failures or slow calls than calls',
    ],
    [
      { kind: 'time', buckets: [{ start: null, calls: 1, failures: 0, slow: 0 }] },
      'buckets[0].start',
    ],
  ])('rejects the malformed window %j', (window, message) => {
    const policy =
      window.kind === 'count'
        ? ({ kind: 'count', size: 5, failureRate: 0.5 } as const)
        : ({ kind: 'time', window: '1m', failureRate: 0.5 } as const);
    const error = caught(
      () =>
        new CircuitBreaker({
          policy,
          initialState: { version: 1, state: 'closed', window } as unknown as BreakerSnapshot,
        }),
    );
    expect(error).toMatchObject({ code: 'INVALID_BREAKER_STATE' });
    expect((error as Error).message).toContain(message);
  });
});
