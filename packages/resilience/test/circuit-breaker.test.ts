import { getEventListeners } from 'node:events';
import { deferred, rejection } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortedError, BreakerOpenError, CircuitBreaker } from '../src/index.js';
import { boom, failTimes, ok, transitions } from './support/breaker.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('CircuitBreaker in the closed state', () => {
  it('returns what fn returns, sync or async, and passes a never-aborting signal', async () => {
    const breaker = new CircuitBreaker();
    let received: AbortSignal | undefined;
    await expect(
      breaker.execute((signal) => {
        received = signal;
        return 42;
      }),
    ).resolves.toBe(42);
    const typed: string = await breaker.execute(ok); // no fallback: nothing added to the type
    expect(typed).toBe('ok');
    expect(received).toBeInstanceOf(AbortSignal);
    expect(received?.aborted).toBe(false);
    expect(breaker.state).toBe('closed');
  });

  it('keeps no abort listener on the signal it passes when the caller gave none', async () => {
    // The never-aborting signal is shared by every such call for the life of the process:
    // listeners left on it would pile up (a leak, and a MaxListenersExceededWarning past 10).
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const breaker = new CircuitBreaker();
    let received: AbortSignal | undefined;
    for (let i = 0; i < 20; i++) {
      await breaker.execute((signal) => {
        received = signal;
        signal.addEventListener('abort', () => undefined);
      });
    }
    expect(getEventListeners(received as AbortSignal, 'abort')).toHaveLength(0);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it("passes the caller's signal to fn", async () => {
    const breaker = new CircuitBreaker();
    const controller = new AbortController();
    let received: AbortSignal | undefined;
    await breaker.execute((signal) => {
      received = signal;
    }, controller.signal);
    expect(received).toBe(controller.signal);
  });

  it('rethrows what fn throws synchronously or rejects with', async () => {
    const breaker = new CircuitBreaker();
    const error = new Error('sync');
    expect(
      await rejection(
        breaker.execute(() => {
          throw error;
        }),
      ),
    ).toBe(error);
    expect(((await rejection(breaker.execute(boom))) as Error).message).toBe('boom');
  });

  it('opens after failureThreshold consecutive failures', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3 });
    const seen = transitions(breaker);
    await failTimes(breaker, 2);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(seen).toEqual(['closed>open:failures']);
  });

  it('resets the consecutive count on a success', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3 });
    await failTimes(breaker, 2);
    await breaker.execute(ok);
    await failTimes(breaker, 2);
    expect(breaker.state).toBe('closed');
  });

  it('opens after 5 consecutive failures by default', async () => {
    const breaker = new CircuitBreaker();
    await failTimes(breaker, 4);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('does not count errors shouldHandle rejects, and passes them through', async () => {
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      shouldHandle: (error) => !(error instanceof TypeError),
    });
    const error = new TypeError('bad input');
    expect(await rejection(breaker.execute(() => Promise.reject(error)))).toBe(error);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('counts an error whose shouldHandle throws', async () => {
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      shouldHandle: () => {
        throw new Error('filter bug');
      },
    });
    expect(((await rejection(breaker.execute(boom))) as Error).message).toBe('boom');
    expect(breaker.state).toBe('open');
  });

  it("does not count a failure that follows the caller's abort", async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1 });
    const controller = new AbortController();
    const call = breaker.execute(
      (signal) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      controller.signal,
    );
    controller.abort(new Error('user left'));
    expect(((await rejection(call)) as Error).message).toBe('user left');
    expect(breaker.state).toBe('closed');
  });

  it('rejects with AbortedError without running fn when the signal already aborted', async () => {
    const breaker = new CircuitBreaker();
    const fn = vi.fn();
    const error = await rejection(breaker.execute(fn, AbortSignal.abort('gone')));
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).cause).toBe('gone');
    expect(fn).not.toHaveBeenCalled();
  });

  it('does not record a closed-state call that completes after the breaker opened', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: 1000 });
    const slow = deferred<string>();
    const pending = breaker.execute(() => slow.promise);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    slow.resolve('late');
    await expect(pending).resolves.toBe('late');
    // The late success neither closed nor half-opened the breaker.
    expect(breaker.state).toBe('open');
  });
});

describe('CircuitBreaker in the open state', () => {
  it('rejects with BreakerOpenError without running fn, with the time left', async () => {
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      resetTimeout: '10s',
      name: 'partner',
    });
    await failTimes(breaker, 1);
    await vi.advanceTimersByTimeAsync(4000);
    const fn = vi.fn();
    const error = await rejection(breaker.execute(fn));
    expect(fn).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(BreakerOpenError);
    expect(error).toMatchObject({ code: 'BREAKER_OPEN', state: 'open', breaker: 'partner' });
    expect((error as BreakerOpenError).retryAfter).toBe(6000);
    expect((error as Error).message).toContain("circuit breaker 'partner' is open");
  });

  it('emits rejected with the error', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1 });
    const rejected = vi.fn();
    breaker.on('rejected', rejected);
    await failTimes(breaker, 1);
    const error = await rejection(breaker.execute(ok));
    expect(rejected).toHaveBeenCalledWith({ error });
  });

  it('half-opens after resetTimeout, by its timer', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: '30s' });
    const seen = transitions(breaker);
    const halfOpen = vi.fn();
    breaker.on('halfOpen', halfOpen);
    await failTimes(breaker, 1);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(breaker.state).toBe('open');
    await vi.advanceTimersByTimeAsync(1);
    expect(breaker.state).toBe('half-open');
    expect(halfOpen).toHaveBeenCalledTimes(1);
    expect(seen).toEqual(['closed>open:failures', 'open>half-open:reset-timeout']);
  });

  it('half-opens on the first call after the period when the timer has not run', async () => {
    vi.useRealTimers();
    let now = 0;
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      resetTimeout: 1000,
      clock: { now: () => now },
    });
    await failTimes(breaker, 1);
    await breaker.close(); // the teardown: no timer now, only the clock moves it on
    now = 999;
    await expect(breaker.execute(ok)).rejects.toBeInstanceOf(BreakerOpenError);
    now = 1000;
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
  });

  it('emits open with the reason, attempt and delay', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeout: 500 });
    const open = vi.fn();
    breaker.on('open', open);
    await failTimes(breaker, 2);
    expect(open).toHaveBeenCalledWith({ reason: 'failures', attempt: 1, retryAfter: 500 });
  });
});

describe('CircuitBreaker fallback', () => {
  it('answers a failed call and a rejected call', async () => {
    const fallback = vi.fn((error: unknown) => `fallback for ${(error as Error).name}`);
    const breaker = new CircuitBreaker({ failureThreshold: 1, fallback });
    const onFallback = vi.fn();
    breaker.on('fallback', onFallback);
    await expect(breaker.execute(boom)).resolves.toBe('fallback for Error');
    await expect(breaker.execute(ok)).resolves.toBe('fallback for BreakerOpenError');
    expect(onFallback).toHaveBeenCalledTimes(2);
  });

  it('is typed: execute returns the task type or the fallback type', async () => {
    const breaker = new CircuitBreaker({ fallback: () => null });
    const value: number | null = await breaker.execute(() => 1);
    expect(value).toBe(1);
  });

  it('does not answer errors shouldHandle rejects', async () => {
    const breaker = new CircuitBreaker({ fallback: () => 'fallback', shouldHandle: () => false });
    await expect(breaker.execute(boom)).rejects.toThrow('boom');
  });

  it('rejects with what the fallback throws', async () => {
    const breaker = new CircuitBreaker({
      fallback: () => {
        throw new Error('no cache either');
      },
    });
    await expect(breaker.execute(boom)).rejects.toThrow('no cache either');
  });
});

describe('CircuitBreaker.recordSuccess and recordFailure', () => {
  it('count calls run outside execute while closed, and trip the breaker as execute would', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3 });
    breaker.recordFailure(new Error('1'));
    breaker.recordFailure(new Error('2'));
    breaker.recordSuccess();
    breaker.recordFailure(new Error('1'));
    breaker.recordFailure(new Error('2'));
    expect(breaker.state).toBe('closed');
    breaker.recordFailure(new Error('3'));
    expect(breaker.state).toBe('open');
  });

  it('do nothing unless closed, and leave out errors shouldHandle rejects', () => {
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      shouldHandle: (error) => (error as Error).message !== 'ignored',
    });
    breaker.recordFailure(new Error('ignored'));
    expect(breaker.state).toBe('closed');
    breaker.forceOpen();
    breaker.recordSuccess();
    expect(breaker.state).toBe('open');
    breaker.forceClose();
    breaker.recordFailure(new Error('counted'));
    expect(breaker.state).toBe('open');
  });

  it('emit success, failure and slowCall with the given duration', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 5, slowCall: { threshold: 100 } });
    const events: unknown[] = [];
    breaker.on('success', ({ duration }) => events.push(['success', duration]));
    breaker.on('failure', ({ duration, handled }) => events.push(['failure', duration, handled]));
    breaker.on('slowCall', ({ duration }) => events.push(['slow', duration]));
    breaker.recordSuccess(20);
    breaker.recordFailure(new Error('x'), 150);
    expect(events).toEqual([
      ['success', 20],
      ['failure', 150, true],
      ['slow', 150],
    ]);
  });
});
