import { describe, expect, it } from 'vitest';
import { CountWindow } from '../../src/breaker/count-window.js';
import { CircuitBreaker } from '../../src/index.js';

describe('CountWindow', () => {
  it('waits for minimumCalls before judging the rate', () => {
    const window = new CountWindow(10, 4, 0.5, 0.5);
    expect(window.record(true, false)).toBeUndefined();
    expect(window.record(true, false)).toBeUndefined();
    expect(window.record(true, false)).toBeUndefined();
    expect(window.record(true, false)).toBe('failures');
  });

  it('opens when the failure rate reaches failureRate exactly', () => {
    // 3 / 10 >= 0.3 must hold although 0.3 × 10 is 3.0000000000000004 in floating point.
    const window = new CountWindow(10, 10, 0.3, 1);
    for (let i = 0; i < 7; i++) expect(window.record(false, false)).toBeUndefined();
    expect(window.record(true, false)).toBeUndefined();
    expect(window.record(true, false)).toBeUndefined();
    expect(window.record(true, false)).toBe('failures');
  });

  it('forgets outcomes that slid out of the window', () => {
    const window = new CountWindow(4, 4, 0.75, 1);
    window.record(true, false);
    window.record(true, false);
    window.record(false, false);
    window.record(false, false); // [T T F F]: 2 / 4
    window.record(false, false); // the oldest T slid out: 1 / 4
    window.record(false, false); // 0 / 4
    expect(window.record(true, false)).toBeUndefined(); // 1 / 4
    expect(window.record(true, false)).toBeUndefined(); // 2 / 4
    expect(window.record(true, false)).toBe('failures'); // 3 / 4
    expect(window.snapshot()).toEqual({ kind: 'count', outcomes: [0, 1, 1, 1] });
  });

  it('judges a success only for its slowness', () => {
    const window = new CountWindow(2, 2, 0.5, 0.5);
    window.record(true, false);
    expect(window.record(false, false)).toBeUndefined(); // successes never open on failures
    expect(window.record(false, true)).toBe('slow-calls');
  });

  it('starts empty after reset', () => {
    const window = new CountWindow(2, 2, 0.5, 1);
    window.record(true, false);
    window.reset();
    expect(window.record(true, false)).toBeUndefined();
    expect(window.snapshot()).toEqual({ kind: 'count', outcomes: [1] });
  });
});

describe('CircuitBreaker with a count window', () => {
  it('opens on the failure rate once minimumCalls calls were made, and forgets on forceClose', async () => {
    const breaker = new CircuitBreaker({
      policy: { kind: 'count', size: 10, minimumCalls: 4, failureRate: 0.5 },
      resetTimeout: 0,
    });
    const fail = () => breaker.execute(() => Promise.reject(new Error('x'))).catch(() => 0);
    await fail();
    await fail();
    expect(breaker.state).toBe('closed'); // 2 calls: below minimumCalls
    await breaker.execute(() => 1);
    await fail(); // 3 of 4
    expect(breaker.state).toBe('open');
    breaker.forceClose();
    await fail();
    await breaker.execute(() => 1);
    await breaker.execute(() => 1);
    await fail(); // 2 of 4: 50 %
    expect(breaker.state).toBe('open');
  });
});
