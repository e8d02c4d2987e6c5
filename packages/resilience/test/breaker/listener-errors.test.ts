import { manualClock } from '@vigil/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker } from '../../src/index.js';

// A listener's bug is the listener's: the call still gets its own result or error, the breaker
// still records the call, and the error goes to onError (one route for such failures).

afterEach(() => {
  vi.restoreAllMocks();
});

function throwing(message: string): () => never {
  return () => {
    throw new Error(message);
  };
}

describe('CircuitBreaker listeners that throw', () => {
  it("do not replace a failing call's error, nor stop the trip it causes", async () => {
    // Before: the caller got 'open listener bug' instead of its own error.
    const onError = vi.fn();
    const breaker = new CircuitBreaker({ name: 'partner', failureThreshold: 1, onError });
    breaker.on('open', throwing('open listener bug'));
    breaker.on('stateChange', throwing('stateChange listener bug'));
    await expect(breaker.execute(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(breaker.state).toBe('open');
    expect(onError.mock.calls).toEqual([
      [
        expect.objectContaining({ message: 'stateChange listener bug' }),
        { source: "CircuitBreaker 'partner'", operation: "'stateChange' listener" },
      ],
      [
        expect.objectContaining({ message: 'open listener bug' }),
        { source: "CircuitBreaker 'partner'", operation: "'open' listener" },
      ],
    ]);
  });

  it('do not turn a success into a failure, and the success is still recorded', async () => {
    const onError = vi.fn();
    const clock = manualClock();
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      resetTimeout: 1000,
      clock,
      timers: clock,
      onError,
    });
    breaker.on('success', throwing('success listener bug'));
    breaker.on('close', throwing('close listener bug'));
    breaker.forceOpen();
    clock.advance(1000);
    expect(breaker.state).toBe('half-open');
    await expect(breaker.execute(() => 'fine')).resolves.toBe('fine');
    expect(breaker.state).toBe('closed');
    expect(onError.mock.calls.map(([, context]) => context.operation)).toEqual([
      "'success' listener",
      "'close' listener",
    ]);
  });

  it('on a failure event still let the failure count', async () => {
    const onError = vi.fn();
    const breaker = new CircuitBreaker({ failureThreshold: 2, onError });
    breaker.on('failure', throwing('failure listener bug'));
    for (let i = 0; i < 2; i++) {
      await expect(breaker.execute(() => Promise.reject(new Error('down')))).rejects.toThrow(
        'down',
      );
    }
    expect(breaker.state).toBe('open');
    expect(onError).toHaveBeenCalledTimes(2);
  });

  it('on rejected and fallback events still answer with the fallback', async () => {
    const onError = vi.fn();
    const breaker = new CircuitBreaker({ fallback: () => 'cached', onError });
    breaker.on('rejected', throwing('rejected listener bug'));
    breaker.on('fallback', throwing('fallback listener bug'));
    breaker.isolate();
    await expect(breaker.execute(() => 'live')).resolves.toBe('cached');
    expect(onError).toHaveBeenCalledTimes(2);
  });

  it('do not throw out of the manual controls', () => {
    const onError = vi.fn();
    const breaker = new CircuitBreaker({ onError });
    breaker.on('open', throwing('open listener bug'));
    expect(() => breaker.forceOpen()).not.toThrow();
    expect(breaker.state).toBe('open');
    expect(onError).toHaveBeenCalledOnce();
  });

  it('without onError are one VIGIL_BACKGROUND_ERROR warning per event', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const breaker = new CircuitBreaker({ name: 'partner' });
    breaker.on('success', throwing('success listener bug'));
    await breaker.execute(() => 1);
    await breaker.execute(() => 2);
    expect(warn).toHaveBeenCalledExactlyOnceWith(
      expect.stringContaining("CircuitBreaker 'partner': 'success' listener failed"),
      { type: 'VigilWarning', code: 'VIGIL_BACKGROUND_ERROR' },
    );
  });
});
