import { Registry } from '@vigil/core';
import { caught } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bindTimer, TimersError, timer } from '../src/index.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  const registry = new Registry({ onInvalid: 'throw' });
  const jobs = registry.histogram({
    name: 'job_duration_seconds',
    help: 'Jobs.',
    labelNames: ['job'],
  });
  const outcomes = registry.histogram({
    name: 'call_duration_seconds',
    help: 'Calls.',
    labelNames: ['call', 'result'],
  });
  const plain = registry.histogram({ name: 'plain_seconds', help: 'Plain.' });
  const queries = registry.summary({ name: 'query_seconds', help: 'Queries.', quantiles: [0.5] });
  return { registry, jobs, outcomes, plain, queries };
}

describe('timer()', () => {
  it('records the seconds elapsed into a bound child on end() and returns them', () => {
    const { jobs } = setup();
    const child = jobs.labels({ job: 'report' });
    const t = timer(child);
    vi.advanceTimersByTime(250);
    expect(t.end()).toBe(0.25);
    expect(jobs.get({ job: 'report' })).toMatchObject({ count: 1, sum: 0.25 });
  });

  it('records once: later end() calls and dispose return the first seconds and record nothing', () => {
    const { plain } = setup();
    const t = timer(plain);
    vi.advanceTimersByTime(100);
    expect(t.ended).toBe(false);
    expect(t.end()).toBe(0.1);
    vi.advanceTimersByTime(100);
    expect(t.end()).toBe(0.1);
    t[Symbol.dispose]();
    expect(t.ended).toBe(true);
    expect(t.elapsed()).toBe(0.1);
    expect(plain.get()).toMatchObject({ count: 1, sum: 0.1 });
  });

  it('elapsed() reads the running time without stopping', () => {
    const { plain } = setup();
    const t = timer(plain);
    vi.advanceTimersByTime(40);
    expect(t.elapsed()).toBe(0.04);
    expect(plain.get()).toMatchObject({ count: 0 });
  });

  it('records on leaving a `using` block', () => {
    const { jobs } = setup();
    {
      using _t = timer(jobs, { job: 'export' });
      vi.advanceTimersByTime(1500);
    }
    expect(jobs.get({ job: 'export' })).toMatchObject({ count: 1, sum: 1.5 });
  });

  it('records on leaving an `await using` block', async () => {
    const { jobs } = setup();
    const work = async () => {
      await using _t = timer(jobs, { job: 'async' });
      await vi.advanceTimersByTimeAsync(30);
    };
    await work();
    expect(jobs.get({ job: 'async' })).toMatchObject({ count: 1, sum: 0.03 });
  });

  it('sets result="success" on a metric with a result label', () => {
    const { outcomes } = setup();
    {
      using _t = timer(outcomes, { call: 'partner' });
      vi.advanceTimersByTime(10);
    }
    expect(outcomes.get({ call: 'partner', result: 'success' })).toMatchObject({ count: 1 });
    expect(outcomes.get({ call: 'partner', result: 'error' })).toBeUndefined();
  });

  it('sets result="error" when fail() was called in the block, e.g. in a catch', () => {
    const { outcomes } = setup();
    const run = () => {
      using t = timer(outcomes, { call: 'partner' });
      try {
        throw new Error('partner down');
      } catch (error) {
        t.fail();
        throw error;
      }
    };
    expect(run).toThrow('partner down');
    expect(outcomes.get({ call: 'partner', result: 'error' })).toMatchObject({ count: 1 });
    expect(outcomes.get({ call: 'partner', result: 'success' })).toBeUndefined();
  });

  it('keeps a result label the caller gave', () => {
    const { outcomes } = setup();
    timer(outcomes, { call: 'cache', result: 'miss' }).fail().end();
    expect(outcomes.get({ call: 'cache', result: 'miss' })).toMatchObject({ count: 1 });
  });

  it('end(extraLabels) completes the labels given at the start', () => {
    const { outcomes } = setup();
    const t = timer(outcomes, { call: 'x' });
    vi.advanceTimersByTime(5);
    t.end({ result: 'timeout' });
    expect(outcomes.get({ call: 'x', result: 'timeout' })).toMatchObject({ count: 1, sum: 0.005 });
  });

  it('passes the start labels to observe() without copying them when nothing is added', () => {
    const { jobs } = setup();
    const observe = vi.spyOn(jobs, 'observe');
    const labels = { job: 'report' };
    timer(jobs, labels).end();
    expect(observe.mock.calls[0]?.[0]).toBe(labels);
    expect(jobs.get({ job: 'report' })).toMatchObject({ count: 1 });
  });

  it('records into a summary', () => {
    const { queries } = setup();
    const t = timer(queries);
    vi.advanceTimersByTime(20);
    t.end();
    expect(queries.sketch()?.count).toBe(1);
  });

  it('records into a BoundTimer with its outcome child', () => {
    const { outcomes } = setup();
    const bound = bindTimer(outcomes, { call: 'db' });
    timer(bound).end();
    timer(bound).fail().end();
    timer(bound).fail().end();
    expect(outcomes.get({ call: 'db', result: 'success' })).toMatchObject({ count: 1 });
    expect(outcomes.get({ call: 'db', result: 'error' })).toMatchObject({ count: 2 });
  });

  it('reports a label mismatch through the registry’s onInvalid policy, not at the start', () => {
    const { jobs } = setup();
    const t = timer(jobs, {});
    expect(() => t.end()).toThrow(/job/);
  });

  it('throws TIMERS_INVALID_METRIC for a counter, a gauge or a non-metric', () => {
    const { registry } = setup();
    const counter = registry.counter({ name: 'c_total', help: 'C.' });
    const gauge = registry.gauge({ name: 'g', help: 'G.' });
    for (const target of [counter, gauge, undefined, {}, 'latency']) {
      const error = caught(() => timer(target as never));
      expect(error).toBeInstanceOf(TimersError);
      expect(error).toMatchObject({ code: 'TIMERS_INVALID_METRIC' });
    }
    expect((caught(() => timer(counter as never)) as Error).message).toContain("counter 'c_total'");
  });
});
