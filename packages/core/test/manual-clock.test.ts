import { describe, expect, it } from 'vitest';
import { MANUAL_CLOCK_EPOCH, manualClock } from '../src/testing/index.js';

describe('manualClock', () => {
  it('moves only when told to, from 2026-01-01 unless given a start', () => {
    expect(manualClock().now()).toBe(MANUAL_CLOCK_EPOCH);
    const clock = manualClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
    clock.set(5);
    expect(clock.now()).toBe(5);
  });

  it('runs due timers in order, each at its own due time, and never a cleared one', () => {
    const clock = manualClock(0);
    const ran: string[] = [];
    clock.setTimeout(() => ran.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => ran.push(`a@${clock.now()}`), 10);
    const cleared = clock.setTimeout(() => ran.push('never'), 15);
    clock.setTimeout(() => ran.push(`late@${clock.now()}`), 100);
    clock.clearTimeout(cleared);
    expect(clock.pendingTimers()).toBe(3);
    clock.advance(50);
    expect(ran).toEqual(['a@10', 'b@20']);
    expect(clock.now()).toBe(50);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('runs a timer scheduled by a timer when it falls due within the same advance', () => {
    const clock = manualClock(0);
    const ran: number[] = [];
    clock.setTimeout(() => {
      ran.push(clock.now());
      clock.setTimeout(() => ran.push(clock.now()), 5);
    }, 10);
    clock.advance(30);
    expect(ran).toEqual([10, 15]);
  });

  it('refuses to go backwards through advance', () => {
    expect(() => manualClock(0).advance(-1)).toThrow(RangeError);
    expect(() => manualClock(0).set(Number.NaN)).toThrow(RangeError);
  });
});
