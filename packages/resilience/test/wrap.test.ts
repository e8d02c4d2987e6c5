import { caught, deferred, rejection } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BreakerOpenError,
  Bulkhead,
  CircuitBreaker,
  type Policy,
  Retry,
  Timeout,
  TimeoutError,
  wrap,
} from '../src/index.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A policy from elsewhere: it logs around the call and passes the signal on. */
function logging(log: string[], name: string): Policy {
  return {
    async execute(fn, signal) {
      log.push(`${name}>`);
      try {
        return await fn(signal ?? new AbortController().signal);
      } finally {
        log.push(`<${name}`);
      }
    },
  };
}

describe('wrap', () => {
  it('runs the policies outermost first', async () => {
    const log: string[] = [];
    const policy = wrap(logging(log, 'a'), logging(log, 'b'), logging(log, 'c'));
    await policy.execute(() => {
      log.push('fn');
    });
    expect(log).toEqual(['a>', 'b>', 'c>', 'fn', '<c', '<b', '<a']);
  });

  it('retries each attempt under its own timeout, through the breaker', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 5 });
    const failures = vi.fn();
    breaker.on('failure', failures);
    const policy = wrap(
      new Retry({ maxAttempts: 3, initialDelay: 10, jitter: 'none' }),
      breaker,
      new Timeout(100),
    );
    let attempt = 0;
    const result = policy.execute(
      (signal) =>
        new Promise<string>((resolve, reject) => {
          attempt++;
          if (attempt === 3) resolve('third time');
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    );
    await vi.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toBe('third time');
    expect(failures).toHaveBeenCalledTimes(2);
    expect(failures.mock.calls[0]?.[0].error).toBeInstanceOf(TimeoutError);
  });

  it('times the whole retry sequence when the timeout is outermost', async () => {
    const policy = wrap(
      new Timeout(250),
      new Retry({ maxAttempts: 10, initialDelay: 100, jitter: 'none' }),
    );
    const fn = vi.fn(async () => {
      throw new Error('down');
    });
    const result = rejection(policy.execute(fn));
    await vi.advanceTimersByTimeAsync(251);
    expect(await result).toBeInstanceOf(TimeoutError);
    expect(fn).toHaveBeenCalledTimes(2); // at 0 and 100 ms; the wait for 300 ms was aborted
  });

  it("threads the caller's signal to every policy and to fn", async () => {
    const controller = new AbortController();
    let received: AbortSignal | undefined;
    const policy = wrap(new Retry(), new CircuitBreaker(), new Bulkhead({ concurrency: 1 }));
    await policy.execute((signal) => {
      received = signal;
    }, controller.signal);
    expect(received).toBe(controller.signal);
  });

  it('stops retrying into an open breaker it cannot wait for', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: '1m' });
    const policy = wrap(new Retry({ maxAttempts: 5, maxDelay: '1s' }), breaker);
    const fn = vi.fn(async () => {
      throw new Error('down');
    });
    const result = rejection(policy.execute(fn));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await result).toBeInstanceOf(BreakerOpenError);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('backs off, rather than burning its attempts, while a half-open probe runs', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: 1000 });
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => 0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(breaker.state).toBe('half-open');
    const probe = deferred<string>();
    const probing = breaker.execute(() => probe.promise);
    // Rejected with retryAfter 0 while the probe runs: retry waits its backoff, not 0 ms.
    const policy = wrap(new Retry({ maxAttempts: 3, initialDelay: 100, jitter: 'none' }), breaker);
    const fn = vi.fn(() => 'after the probe');
    const result = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(50);
    probe.resolve('probed');
    await expect(probing).resolves.toBe('probed');
    expect(breaker.state).toBe('closed');
    await vi.advanceTimersByTimeAsync(50);
    await expect(result).resolves.toBe('after the probe');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('answers with the fallback of a breaker inside, typed', async () => {
    const policy = wrap(new Retry({ maxAttempts: 1 }), new CircuitBreaker({ fallback: () => -1 }));
    const value: number | string = await policy.execute(async (): Promise<string> => {
      throw new Error('down');
    });
    expect(value).toBe(-1);
  });

  it('adds nothing to the result type without a fallback', async () => {
    const value: string = await wrap(new Retry(), new Timeout('1s')).execute(() => 'plain');
    expect(value).toBe('plain');
  });

  it('flattens nested wraps and mixes in foreign policies', async () => {
    const log: string[] = [];
    const inner = wrap(logging(log, 'b'), new Retry());
    const policy = wrap(logging(log, 'a'), inner, new CircuitBreaker());
    expect(policy.policies).toHaveLength(4);
    await expect(policy.execute(() => 'ok')).resolves.toBe('ok');
    expect(log).toEqual(['a>', 'b>', '<b', '<a']);
  });

  it('rejects something that is not a policy, and an empty wrap', () => {
    expect(caught(() => wrap({} as Policy))).toMatchObject({ code: 'INVALID_OPTION' });
    expect((caught(() => wrap()) as Error).message).toContain('give at least one policy');
  });
});
