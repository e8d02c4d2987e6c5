import { type Counter, Registry } from '@vigil/core';
import { deferred, rejection } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortedError, Timeout, TimeoutError } from '../src/index.js';
import { cooperative } from './support/cooperative.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Timeout (cooperative)', () => {
  it('returns the result of a call that finishes in time', async () => {
    const policy = new Timeout('1s');
    const result = policy.execute(cooperative(999));
    await vi.advanceTimersByTimeAsync(999);
    await expect(result).resolves.toBe('done');
  });

  it('aborts the signal when time runs out and rejects with TimeoutError', async () => {
    const policy = new Timeout(1000);
    const onTimeout = vi.fn();
    policy.on('timeout', onTimeout);
    let received: AbortSignal | undefined;
    const result = rejection(
      policy.execute((signal) => {
        received = signal;
        return cooperative(5000)(signal);
      }),
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(received?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(2); // at most 1 ms late
    expect(received?.aborted).toBe(true);
    const error = await result;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'TIMEOUT', duration: 1000 });
    expect((error as Error).message).toBe('the call timed out after 1000 ms');
    expect(onTimeout).toHaveBeenCalledWith({ duration: 1000 });
  });

  it('keeps the task error as the cause when the task rejected with its own error', async () => {
    const policy = new Timeout(100);
    const result = rejection(
      policy.execute(
        (signal) =>
          new Promise((_, reject) =>
            signal.addEventListener('abort', () => reject(new Error('socket closed'))),
          ),
      ),
    );
    await vi.advanceTimersByTimeAsync(101);
    const error = (await result) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error.cause as Error).message).toBe('socket closed');
  });

  it('waits for a task that ignores its signal, and returns its late value', async () => {
    const policy = new Timeout(100);
    const onTimeout = vi.fn();
    policy.on('timeout', onTimeout);
    const result = policy.execute(() => new Promise((resolve) => setTimeout(resolve, 300, 'late')));
    await vi.advanceTimersByTimeAsync(300);
    await expect(result).resolves.toBe('late');
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('rethrows an error that came before the deadline', async () => {
    const policy = new Timeout(100);
    await expect(policy.execute(() => Promise.reject(new Error('early')))).rejects.toThrow('early');
  });

  it('shares one signal and one timer between calls that start in the same millisecond', async () => {
    const policy = new Timeout(1000);
    const signals: AbortSignal[] = [];
    const calls = [1, 2, 3].map(() =>
      policy.execute((signal) => {
        signals.push(signal);
        return cooperative(10)(signal);
      }),
    );
    expect(new Set(signals).size).toBe(1);
    expect(vi.getTimerCount()).toBe(1 + 3); // the shared deadline + each task's own
    await vi.advanceTimersByTimeAsync(2);
    policy.execute((signal) => {
      signals.push(signal);
    });
    expect(signals[3]).not.toBe(signals[0]); // 2 ms later: a new deadline
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all(calls);
  });

  it('lets many calls listen on the shared signal without a MaxListenersExceededWarning', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const policy = new Timeout(1000);
    const calls = Array.from({ length: 20 }, () => policy.execute(cooperative(10)));
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all(calls);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('leaves no timer behind once its calls are done and the deadline passed', async () => {
    const policy = new Timeout(50);
    await policy.execute(() => 1);
    await vi.advanceTimersByTimeAsync(5);
    await policy.execute(() => 2); // replaces the idle deadline: its timer is cleared
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(51);
    expect(vi.getTimerCount()).toBe(0);
    await policy.execute(() => 3);
    await policy.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('times out under fake timers installed after a call ran on real ones', async () => {
    // A module-level policy used by an earlier test without fake timers: its idle shared
    // deadline holds a real timer, which advancing fake time would never fire.
    vi.useRealTimers();
    const policy = new Timeout(1000);
    await policy.execute(() => 'real');
    vi.useFakeTimers();
    let received: AbortSignal | undefined;
    const result = rejection(
      policy.execute((signal) => {
        received = signal;
        return cooperative(5000)(signal);
      }),
    );
    await vi.advanceTimersByTimeAsync(1001);
    expect(received?.aborted).toBe(true);
    expect(await result).toBeInstanceOf(TimeoutError);
    await policy.close();
  });

  it('does not abort a shared signal no call is running on', async () => {
    const policy = new Timeout(50);
    let signal: AbortSignal | undefined;
    await policy.execute((s) => {
      signal = s;
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(signal?.aborted).toBe(false);
  });

  it('unref()s its timer', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    await new Timeout(50).execute(() => 1);
    const timer = setTimeoutSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    setTimeoutSpy.mockRestore();
  });
});

describe('Timeout close()', () => {
  it('clears the idle timer, keeps the deadline of a running call, and keeps no timer after', async () => {
    const policy = new Timeout(100);
    await policy.execute(() => 1);
    expect(vi.getTimerCount()).toBe(1); // kept for the next calls
    await policy.close();
    expect(vi.getTimerCount()).toBe(0);
    // A call in flight at close() (or after it) still gets its deadline...
    const late = rejection(policy.execute(cooperative(5000)));
    expect(vi.getTimerCount()).toBe(2); // its deadline, and the task's own timer
    await vi.advanceTimersByTimeAsync(101);
    expect(await late).toBeInstanceOf(TimeoutError);
    // ...and a call after close() leaves no timer behind once it settled.
    await policy.execute(() => 2);
    expect(vi.getTimerCount()).toBe(0);
    await policy.close();
  });

  it('is what `await using` calls', async () => {
    {
      await using policy = new Timeout(100);
      await policy.execute(() => 1);
      expect(vi.getTimerCount()).toBe(1);
    }
    expect(vi.getTimerCount()).toBe(0);
    expect('dispose' in new Timeout(1)).toBe(false);
  });

  it('schedules its deadlines on the injected timers', async () => {
    const delays: number[] = [];
    const timers = {
      setTimeout: (callback: () => void, ms: number) => {
        delays.push(ms);
        return setTimeout(callback, ms);
      },
      clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
    };
    const policy = new Timeout({ duration: 50, timers });
    const result = rejection(policy.execute(cooperative(1000)));
    await vi.advanceTimersByTimeAsync(51);
    expect(await result).toBeInstanceOf(TimeoutError);
    expect(delays).toEqual([51]); // the duration plus the 1 ms a shared deadline may be late
    await policy.close();
  });
});

describe('Timeout and the caller signal', () => {
  it("aborts the task's signal when the caller's does, and rethrows without a TimeoutError", async () => {
    const policy = new Timeout('1s');
    const controller = new AbortController();
    let received: AbortSignal | undefined;
    const result = rejection(
      policy.execute((signal) => {
        received = signal;
        return cooperative(5000)(signal);
      }, controller.signal),
    );
    expect(received).not.toBe(controller.signal);
    controller.abort(new Error('user left'));
    const error = await result;
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('user left');
  });

  it('still times out a call with a caller signal', async () => {
    const policy = new Timeout(100);
    const result = rejection(policy.execute(cooperative(500), new AbortController().signal));
    await vi.advanceTimersByTimeAsync(101);
    expect(await result).toBeInstanceOf(TimeoutError);
  });

  it('rejects with AbortedError at once when the caller signal already aborted', async () => {
    const fn = vi.fn();
    const error = await rejection(new Timeout(100).execute(fn, AbortSignal.abort()));
    expect(error).toBeInstanceOf(AbortedError);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('Timeout (aggressive)', () => {
  it('rejects at the deadline without waiting for the task', async () => {
    const policy = new Timeout({ duration: 100, strategy: 'aggressive' });
    const task = deferred<string>();
    const result = rejection(policy.execute(() => task.promise));
    await vi.advanceTimersByTimeAsync(101);
    expect(await result).toBeInstanceOf(TimeoutError);
    task.resolve('too late');
  });

  it('returns a result that comes in time, and rethrows an early error', async () => {
    const policy = new Timeout({ duration: 100, strategy: 'aggressive' });
    await expect(policy.execute(() => 'quick')).resolves.toBe('quick');
    await expect(
      policy.execute(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
  });

  it('rejects with AbortedError at once when the caller aborts', async () => {
    const policy = new Timeout({ duration: 1000, strategy: 'aggressive' });
    const controller = new AbortController();
    const result = rejection(policy.execute(() => deferred().promise, controller.signal));
    controller.abort('stop');
    const error = await result;
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).cause).toBe('stop');
  });
});

describe('Timeout metrics', () => {
  it('counts timeouts by policy', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const policy = new Timeout({ duration: 10, name: 'db', registry });
    const result = rejection(policy.execute(cooperative(100)));
    await vi.advanceTimersByTimeAsync(11);
    await result;
    await policy.execute(() => 1);
    const counter = registry.get('vigil_timeouts_total') as Counter<'policy'>;
    expect(counter.get({ policy: 'db' })).toBe(1);
  });
});

describe('Timeout listeners', () => {
  it('a throwing timeout listener goes to onError; the caller still gets TimeoutError', async () => {
    const failures: Array<{ error: unknown; source: string; operation: string }> = [];
    const policy = new Timeout({
      duration: 1000,
      onError: (error, { source, operation }) => failures.push({ error, source, operation }),
    });
    const bug = new Error('listener bug');
    policy.on('timeout', () => {
      throw bug;
    });
    const result = rejection(policy.execute(cooperative(5000)));
    await vi.advanceTimersByTimeAsync(1001);
    expect(await result).toBeInstanceOf(TimeoutError);
    expect(failures).toEqual([{ error: bug, source: 'Timeout', operation: "'timeout' listener" }]);
  });
});
