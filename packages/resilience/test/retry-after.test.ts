import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BreakerOpenError, CircuitBreaker, Retry } from '../src/index.js';
import { retryAfterOf } from '../src/retry-after.js';
import { flaky, gaps } from './support/flaky.js';

const NOW = Date.UTC(2024, 0, 1);
const hint = (retryAfter: unknown) => ({ retryAfter });

describe('retryAfterOf', () => {
  it.each([
    ['a number of milliseconds', 250, 250],
    ['zero', 0, 0],
    ['delay-seconds text', '120', 120_000],
    ['delay-seconds text with spaces', ' 3 ', 3000],
    ['a Date', new Date(NOW + 1500), 1500],
    ['an HTTP-date', 'Mon, 01 Jan 2024 00:01:00 GMT', 60_000],
    ['a date in the past', 'Sun, 31 Dec 2023 23:59:00 GMT', 0],
  ])('reads %s', (_, value, expected) => {
    expect(retryAfterOf(hint(value), NOW)).toBe(expected);
  });

  it.each([
    ['no property', new Error('x')],
    ['a negative number', hint(-1)],
    ['NaN', hint(Number.NaN)],
    ['unparsable text', hint('soon')],
    ['an invalid Date', hint(new Date('nope'))],
    ['an object', hint({ seconds: 3 })],
    ['a non-object error', 'boom'],
    ['null', null],
  ])('finds no hint in %s', (_, error) => {
    expect(retryAfterOf(error, NOW)).toBeUndefined();
  });

  it("reads a BreakerOpenError's time to half-open", () => {
    expect(retryAfterOf(new BreakerOpenError('db', 'open', 4200), NOW)).toBe(4200);
    expect(retryAfterOf(new BreakerOpenError('db', 'isolated', Infinity), NOW)).toBe(Infinity);
  });
});

describe('Retry and retryAfter hints', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  function withHint(retryAfter: unknown): Error {
    return Object.assign(new Error('429'), { retryAfter });
  }

  it.each([
    ['milliseconds', 1500, 1500],
    ['delay-seconds text', '2', 2000],
    ['a Date', new Date(Date.UTC(2024, 0, 1, 0, 0, 3)), 3000],
    ['an HTTP-date', 'Mon, 01 Jan 2024 00:00:04 GMT', 4000],
  ])('waits for a hint in %s when it is longer than the backoff', async (_, hint, wait) => {
    vi.setSystemTime(Date.UTC(2024, 0, 1));
    const policy = new Retry({ initialDelay: 10, maxDelay: '10s' });
    const { fn, attempts } = flaky(1, () => withHint(hint));
    const result = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(10_000);
    await result;
    expect(gaps(attempts)).toEqual([wait]);
  });

  it('waits for the backoff when it is longer than the hint', async () => {
    const policy = new Retry({ maxAttempts: 3, initialDelay: 400, jitter: 'none' });
    const { fn, attempts } = flaky(2, () => withHint(0));
    const result = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(10_000);
    await result;
    expect(gaps(attempts)).toEqual([400, 800]);
  });

  it('ignores a hint it cannot read', async () => {
    const policy = new Retry({ initialDelay: 10, jitter: 'none' });
    const { fn, attempts } = flaky(1, () => withHint('whenever'));
    const result = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(1000);
    await result;
    expect(gaps(attempts)).toEqual([10]);
  });

  it('gives up when the hint is longer than maxDelay', async () => {
    const policy = new Retry({ maxDelay: '1s' });
    const giveUp = vi.fn();
    policy.on('giveUp', giveUp);
    const { fn } = flaky(1, () => withHint(5000));
    await expect(policy.execute(fn)).rejects.toThrow('429');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(giveUp).toHaveBeenCalledWith(expect.objectContaining({ reason: 'retry-after' }));
  });

  it('uses the backoff under respectRetryAfter: false', async () => {
    const policy = new Retry({ initialDelay: 10, jitter: 'none', respectRetryAfter: false });
    const { fn, attempts } = flaky(1, () => withHint(5000));
    const result = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(1000);
    await result;
    expect(gaps(attempts)).toEqual([10]);
  });

  it("waits for an open breaker's half-open time, and gives up on an isolated one", async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: '2s' });
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => 0);
    const policy = new Retry({ maxDelay: '5s' });
    const started = Date.now();
    const result = policy.execute(() => breaker.execute(() => Date.now() - started));
    await vi.advanceTimersByTimeAsync(2000);
    await expect(result).resolves.toBe(2000);
    breaker.isolate();
    await expect(policy.execute(() => breaker.execute(() => 1))).rejects.toBeInstanceOf(
      BreakerOpenError,
    );
  });
});
