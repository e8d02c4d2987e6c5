import { manualClock } from '@vigil/core/testing';
import { describe, expect, it } from 'vitest';
import { TimeWindow } from '../../src/breaker/time-window.js';
import { CircuitBreaker } from '../../src/index.js';

describe('TimeWindow', () => {
  it('counts only the calls of the last window', () => {
    const clock = manualClock(0);
    const window = new TimeWindow(10_000, 10, 3, 0.5, 1, clock);
    window.record(true, false);
    window.record(true, false);
    clock.advance(10_000); // both failures slid out
    expect(window.record(true, false)).toBeUndefined();
    expect(window.record(false, false)).toBeUndefined();
    expect(window.record(true, false)).toBe('failures'); // 2 of 3 in the window
  });

  it('slides one bucket at a time', () => {
    const clock = manualClock(0);
    const window = new TimeWindow(1000, 4, 1, 1, 1, clock);
    window.record(false, false); // bucket [0, 250)
    clock.advance(250);
    window.record(false, false); // bucket [250, 500)
    clock.advance(750); // now 1000: the first bucket slid out, the second is still in
    expect(window.snapshot()).toEqual({
      kind: 'time',
      buckets: [{ start: 250, calls: 1, failures: 0, slow: 0 }],
    });
  });

  it('survives a long idle period and a clock that steps back', () => {
    const clock = manualClock(1_000_000);
    const window = new TimeWindow(1000, 10, 2, 0.5, 1, clock);
    window.record(true, false);
    clock.advance(1e9);
    expect(window.record(false, false)).toBeUndefined();
    clock.set(clock.now() - 5000);
    expect(window.record(true, false)).toBe('failures'); // recorded in the newest bucket
    expect(window.snapshot()).toEqual({
      kind: 'time',
      buckets: [{ start: 1_001_000_000, calls: 2, failures: 1, slow: 0 }],
    });
  });

  it('opens on the slow-call rate', () => {
    const window = new TimeWindow(1000, 10, 2, 1, 0.5, manualClock());
    expect(window.record(false, false)).toBeUndefined();
    expect(window.record(false, true)).toBe('slow-calls');
  });
});

describe('CircuitBreaker with a time window', () => {
  it('opens when the failure rate over the window reaches failureRate', async () => {
    const clock = manualClock();
    const breaker = new CircuitBreaker({
      policy: { kind: 'time', window: '1m', minimumCalls: 4, failureRate: 0.5 },
      clock,
    });
    const fail = () => breaker.execute(() => Promise.reject(new Error('x'))).catch(() => 0);
    await fail();
    await fail();
    await fail();
    clock.advance(60_000); // those three slid out
    await breaker.execute(() => 1);
    await breaker.execute(() => 1);
    await fail();
    expect(breaker.state).toBe('closed'); // 1 of 3, below minimumCalls anyway
    await fail();
    expect(breaker.state).toBe('open'); // 2 of 4
  });
});
