import { Registry } from '@vigil/core';
import { caught } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bindTimer, measure, TimersError } from '../src/index.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  const registry = new Registry({ onInvalid: 'throw' });
  const latency = registry.histogram({
    name: 'work_duration_seconds',
    help: 'Work.',
    labelNames: ['job', 'result'],
  });
  const plain = registry.histogram({ name: 'plain_seconds', help: 'Plain.' });
  return { latency, plain };
}

describe('measure()', () => {
  it('returns what a sync function returns and records its duration as a success', () => {
    const { latency } = setup();
    const value = measure(latency, { job: 'sum' }, () => {
      vi.advanceTimersByTime(50);
      return 42;
    });
    expect(value).toBe(42);
    expect(latency.get({ job: 'sum', result: 'success' })).toMatchObject({ count: 1, sum: 0.05 });
  });

  it('rethrows what a sync function throws, after recording result="error"', () => {
    const { latency } = setup();
    const boom = new Error('boom');
    const error = caught(() =>
      measure(latency, { job: 'sum' }, () => {
        vi.advanceTimersByTime(5);
        throw boom;
      }),
    );
    expect(error).toBe(boom);
    expect(latency.get({ job: 'sum', result: 'error' })).toMatchObject({ count: 1, sum: 0.005 });
  });

  it('times an async function until its promise resolves, and resolves to its value', async () => {
    const { latency } = setup();
    const pending = measure(latency, { job: 'fetch' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return 'done';
    });
    expect(latency.get({ job: 'fetch', result: 'success' })).toBeUndefined();
    await vi.advanceTimersByTimeAsync(300);
    await expect(pending).resolves.toBe('done');
    expect(latency.get({ job: 'fetch', result: 'success' })).toMatchObject({ count: 1, sum: 0.3 });
  });

  it('rejects with what an async function rejects with, after recording result="error"', async () => {
    const { latency } = setup();
    const boom = new Error('late boom');
    const pending = measure(latency, { job: 'fetch' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw boom;
    });
    const settled = pending.then(
      () => undefined,
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(20);
    expect(await settled).toBe(boom);
    expect(latency.get({ job: 'fetch', result: 'error' })).toMatchObject({ count: 1, sum: 0.02 });
  });

  it('takes (target, fn) for an unlabelled metric, a child or a BoundTimer', () => {
    const { latency, plain } = setup();
    expect(measure(plain, () => 'a')).toBe('a');
    expect(measure(bindTimer(latency, { job: 'bound' }), () => 'b')).toBe('b');
    expect(measure(latency.labels({ job: 'child', result: 'ok' }), () => 'c')).toBe('c');
    expect(plain.get()).toMatchObject({ count: 1 });
    expect(latency.get({ job: 'bound', result: 'success' })).toMatchObject({ count: 1 });
    expect(latency.get({ job: 'child', result: 'ok' })).toMatchObject({ count: 1 });
  });

  it('throws TIMERS_INVALID_METRIC before calling fn when the target is not a histogram or summary', () => {
    const fn = vi.fn();
    const error = caught(() => measure({} as never, fn));
    expect(error).toBeInstanceOf(TimersError);
    expect(error).toMatchObject({ code: 'TIMERS_INVALID_METRIC' });
    expect(fn).not.toHaveBeenCalled();
  });
});
