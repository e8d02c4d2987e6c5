import { Registry } from '@vigil/core';
import { caught } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bindTimer, startTimer, TimersError } from '../src/index.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  const registry = new Registry({ onInvalid: 'throw' });
  const latency = registry.histogram({
    name: 'http_duration_seconds',
    help: 'HTTP.',
    labelNames: ['method', 'status'],
  });
  const calls = registry.summary({
    name: 'call_seconds',
    help: 'Calls.',
    labelNames: ['result'],
    quantiles: [0.5],
  });
  return { registry, latency, calls };
}

describe('startTimer()', () => {
  it('returns end(), which records the seconds elapsed and returns them (prom-client’s shape)', () => {
    const { latency } = setup();
    const end = startTimer(latency, { method: 'GET' });
    vi.advanceTimersByTime(120);
    expect(end({ status: '200' })).toBe(0.12);
    expect(latency.get({ method: 'GET', status: '200' })).toMatchObject({ count: 1, sum: 0.12 });
  });

  it('end() records once; a second call returns the same seconds', () => {
    const { latency } = setup();
    const end = startTimer(latency.labels({ method: 'GET', status: '200' }));
    vi.advanceTimersByTime(10);
    expect(end()).toBe(0.01);
    vi.advanceTimersByTime(10);
    expect(end()).toBe(0.01);
    expect(latency.get({ method: 'GET', status: '200' })).toMatchObject({ count: 1 });
  });

  it('sets result="success" on a metric with a result label', () => {
    const { calls } = setup();
    startTimer(calls)();
    expect(calls.sketch({ result: 'success' })?.count).toBe(1);
  });

  it('records into a BoundTimer', () => {
    const { latency } = setup();
    const bound = bindTimer(latency, { method: 'PUT', status: '204' });
    const end = startTimer(bound);
    vi.advanceTimersByTime(3);
    end();
    expect(latency.get({ method: 'PUT', status: '204' })).toMatchObject({ count: 1, sum: 0.003 });
  });

  it('throws TIMERS_INVALID_METRIC for something that is not a histogram or summary', () => {
    const error = caught(() => startTimer(null as never));
    expect(error).toBeInstanceOf(TimersError);
    expect(error).toMatchObject({ code: 'TIMERS_INVALID_METRIC' });
  });
});
