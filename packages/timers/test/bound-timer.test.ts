import { ConfigurationError, Registry } from '@vigil/core';
import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { BoundTimer, bindTimer, timer, timingScope } from '../src/index.js';

function setup() {
  const registry = new Registry({ onInvalid: 'throw' });
  const calls = registry.histogram({
    name: 'call_duration_seconds',
    help: 'Calls.',
    labelNames: ['call', 'result'],
  });
  const jobs = registry.histogram({
    name: 'job_duration_seconds',
    help: 'Jobs.',
    labelNames: ['job'],
  });
  return { registry, calls, jobs };
}

describe('bindTimer()', () => {
  it('binds a child per outcome up front, so both series exist at zero', async () => {
    const { registry, calls } = setup();
    const bound = bindTimer(calls, { call: 'partner' });
    expect(bound).toBeInstanceOf(BoundTimer);
    const text = await registry.metrics();
    expect(text).toContain('call_duration_seconds_count{call="partner",result="success"} 0');
    expect(text).toContain('call_duration_seconds_count{call="partner",result="error"} 0');
  });

  it('observe(seconds, outcome) records a duration measured elsewhere', () => {
    const { calls } = setup();
    const bound = bindTimer(calls, { call: 'partner' });
    bound.observe(0.5);
    bound.observe(0.25, 'error');
    expect(calls.get({ call: 'partner', result: 'success' })).toMatchObject({ count: 1, sum: 0.5 });
    expect(calls.get({ call: 'partner', result: 'error' })).toMatchObject({ count: 1, sum: 0.25 });
  });

  it('uses one child for both outcomes when the metric has no result label', () => {
    const { jobs } = setup();
    const bound = bindTimer(jobs, { job: 'x' });
    bound.observe(1);
    bound.observe(1, 'error');
    expect(jobs.get({ job: 'x' })).toMatchObject({ count: 2 });
  });

  it('names scope entries after the metric, or the name given', () => {
    const { calls, jobs } = setup();
    const entries = timingScope((scope) => {
      timer(bindTimer(calls, { call: 'a' })).end();
      timer(bindTimer(jobs, { job: 'b' }, { name: 'render', detail: 'home page' })).end();
      timer(bindTimer(jobs.labels({ job: 'c' }), { name: 'child' })).end();
      timer(bindTimer(jobs.labels({ job: 'd' }))).end();
      return scope.entries;
    });
    expect(entries.map((entry) => entry.name)).toEqual([
      'call_duration_seconds',
      'render',
      'child',
      'timer',
    ]);
    expect(entries[1]?.detail).toBe('home page');
  });

  it('reports a label set that does not match through onInvalid, when binding', () => {
    const { jobs } = setup();
    expect(() => bindTimer(jobs, { jbo: 'x' } as never)).toThrow(/job/);
  });

  it("throws TIMERS_INVALID_METRIC for a non-metric or a BoundTimer, core's INVALID_OPTION for a bad option", () => {
    const { jobs } = setup();
    expect(caught(() => bindTimer({} as never))).toMatchObject({ code: 'TIMERS_INVALID_METRIC' });
    const bound = bindTimer(jobs, { job: 'x' });
    expect(caught(() => bindTimer(bound as never))).toMatchObject({
      code: 'TIMERS_INVALID_METRIC',
    });
    const error = caught(() => bindTimer(jobs, { job: 'x' }, { name: '' }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({
      code: 'INVALID_OPTION',
      message: 'bindTimer: name should be a non-empty string, got ""',
    });
    expect(
      caught(() => bindTimer(jobs.labels({ job: 'x' }), { nmae: 'x' } as never)),
    ).toMatchObject({
      code: 'INVALID_OPTION',
    });
  });

  it('reads options passed as undefined as their defaults', () => {
    const { jobs } = setup();
    const bound = bindTimer(jobs, { job: 'x' }, { name: undefined, detail: undefined });
    expect(bound.name).toBe('job_duration_seconds');
    expect(bound.detail).toBeUndefined();
  });
});
