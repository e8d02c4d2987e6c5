import { rejection } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BreakerOpenError, CircuitBreaker } from '../../src/index.js';
import { failTimes, ok, transitions } from '../support/breaker.js';

// close() is the teardown: it clears the breaker's timer. It used to mean "force the circuit
// closed", so a host closing every part it made at shutdown silently reset its breakers.

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('CircuitBreaker close()', () => {
  it('leaves an open circuit open, emits nothing, and clears the reset timer', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: 1000 });
    await failTimes(breaker, 1);
    const seen = transitions(breaker);
    const closeEvent = vi.fn();
    breaker.on('close', closeEvent);
    expect(vi.getTimerCount()).toBe(1);
    await breaker.close();
    expect(breaker.state).toBe('open');
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(breaker.state).toBe('open'); // no timer moved it on
    expect(seen).toEqual([]);
    expect(closeEvent).not.toHaveBeenCalled();
  });

  it('keeps guarding calls made after it, moving on by the clock alone, with no timer', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: 1000 });
    await breaker.close();
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(vi.getTimerCount()).toBe(0);
    expect(await rejection(breaker.execute(ok))).toBeInstanceOf(BreakerOpenError);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(breaker.execute(ok)).resolves.toBe('ok'); // half-opened on this call
    expect(breaker.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is idempotent and is what `await using` calls', async () => {
    let kept: CircuitBreaker | undefined;
    {
      await using breaker = new CircuitBreaker({ failureThreshold: 1 });
      kept = breaker;
      await failTimes(breaker, 1);
      expect(vi.getTimerCount()).toBe(1);
    }
    expect(vi.getTimerCount()).toBe(0);
    await kept.close();
    expect(kept.state).toBe('open');
  });

  it('unref()s the reset timer it schedules by default', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const breaker = new CircuitBreaker({ failureThreshold: 1 });
    await failTimes(breaker, 1);
    const timer = setTimeoutSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    setTimeoutSpy.mockRestore();
    await breaker.close();
  });

  it('schedules on the injected timers and clears them there', async () => {
    const pending = new Map<number, () => void>();
    let next = 0;
    const timers = {
      setTimeout: (callback: () => void, _ms: number) => {
        pending.set(++next, callback);
        return next;
      },
      clearTimeout: (handle: unknown) => {
        pending.delete(handle as number);
      },
    };
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: '1h', timers });
    await failTimes(breaker, 1);
    expect(pending.size).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    for (const [handle, fire] of [...pending]) {
      pending.delete(handle);
      fire();
    }
    expect(breaker.state).toBe('half-open');
    breaker.forceOpen();
    await breaker.close();
    expect(pending.size).toBe(0);
  });

  it('reports a listener that throws from the reset timer through onError, or warns once', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: 100 });
    breaker.on('halfOpen', () => {
      throw new Error('listener bug');
    });
    for (let i = 0; i < 2; i++) {
      await failTimes(breaker, 1);
      await vi.advanceTimersByTimeAsync(100);
      expect(breaker.state).toBe('half-open');
      breaker.forceClose();
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining(
        "CircuitBreaker: 'halfOpen' listener failed in the background: listener bug",
      ),
      { type: 'VigilWarning', code: 'VIGIL_BACKGROUND_ERROR' },
    );
    warn.mockRestore();
  });
});
