import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { MetricConflictError, Registry } from '../src/index.js';
import { manualClock } from '../src/testing/index.js';

function sampleLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

describe('registry.register()', () => {
  it('adds a metric made elsewhere, rendered with this registry’s default labels', async () => {
    const origin = new Registry({ defaultLabels: { origin: 'a' } });
    const other = new Registry({ defaultLabels: { service: 'b' } });
    const jobs = origin.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['kind'] });
    other.register(jobs);
    jobs.inc({ kind: 'x' });
    expect(other.get('jobs_total')).toBe(jobs);
    expect(other.getAll()).toEqual([jobs]);
    expect(sampleLines(await other.metrics())).toEqual(['jobs_total{service="b",kind="x"} 1']);
    expect(sampleLines(await origin.metrics())).toEqual(['jobs_total{origin="a",kind="x"} 1']);
    expect(other.snapshot().metrics[0]?.series[0]?.labels).toEqual({ service: 'b', kind: 'x' });
  });

  it('is a no-op for the same metric again, and a METRIC_CONFLICT for another of that name', () => {
    const registry = new Registry();
    const jobs = registry.counter({ name: 'jobs_total', help: 'Jobs.' });
    registry.register(jobs);
    expect(registry.getAll()).toHaveLength(1);
    const twin = new Registry().counter({ name: 'jobs_total', help: 'Jobs.' });
    const error = caught(() => registry.register(twin));
    expect(error).toBeInstanceOf(MetricConflictError);
    expect(error).toMatchObject({ code: 'METRIC_CONFLICT' });
    expect(registry.get('jobs_total')).toBe(jobs);
  });

  it('refuses a metric whose exposed names collide with a registered one', () => {
    const registry = new Registry();
    registry.summary({ name: 'rpc_seconds', help: 'RPC.' });
    const gauge = new Registry().gauge({ name: 'rpc_seconds_sum', help: 'Sum.' });
    expect(caught(() => registry.register(gauge))).toMatchObject({
      code: 'METRIC_CONFLICT',
      message: expect.stringContaining('registry.register(): gauge'),
    });
    expect(registry.get('rpc_seconds_sum')).toBeUndefined();
  });

  it('refuses something that is not a metric with INVALID_OPTION', () => {
    const registry = new Registry();
    expect(caught(() => registry.register({ name: 'x', type: 'counter' } as never))).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('registry.register()'),
    });
  });

  it('keeps the metric’s name: this registry’s prefix is not added', async () => {
    const registry = new Registry({ prefix: 'app_' });
    const gauge = new Registry().gauge({ name: 'depth', help: 'Depth.' });
    registry.register(gauge);
    expect(registry.get('depth')).toBe(gauge);
    expect(await registry.metrics()).toContain('\ndepth 0\n');
  });

  it('a metric removed from every registry keeps recording, under its creator’s policy', async () => {
    const origin = new Registry({ onInvalid: 'throw' });
    const jobs = origin.counter({ name: 'jobs_total', help: 'Jobs.' });
    expect(origin.remove('jobs_total')).toBe(true);
    jobs.inc(2);
    expect(jobs.get()).toBe(2);
    expect(caught(() => jobs.inc(-1))).toMatchObject({ code: 'INVALID_VALUE' });
    expect(await origin.metrics()).toBe('');
    const later = new Registry();
    later.register(jobs);
    expect(sampleLines(await later.metrics())).toEqual(['jobs_total 2']);
    // Its name is free again in the registry it was removed from.
    expect(origin.counter({ name: 'jobs_total', help: 'Jobs.' })).not.toBe(jobs);
  });

  it('runs the collect callback of a registered metric', async () => {
    const registry = new Registry();
    const depth = new Registry().gauge({
      name: 'queue_depth',
      help: 'Depth.',
      collect: (gauge) => gauge.set(7),
    });
    registry.register(depth);
    expect(sampleLines(await registry.metrics())).toEqual(['queue_depth 7']);
  });
});

describe('registry.setDefaultLabels()', () => {
  it('replaces the default labels from the next render and snapshot on', async () => {
    const registry = new Registry({ defaultLabels: { service: 'a' } });
    const jobs = registry.counter({ name: 'jobs_total', help: 'Jobs.' });
    const foreign = new Registry().gauge({ name: 'depth', help: 'Depth.', labelNames: ['zone'] });
    registry.register(foreign);
    foreign.set({ zone: 'z' }, 1);
    jobs.inc();
    registry.setDefaultLabels({ service: 'b', zone: 'shadowed' });
    expect(registry.defaultLabels).toEqual({ service: 'b', zone: 'shadowed' });
    expect(Object.isFrozen(registry.defaultLabels)).toBe(true);
    expect(sampleLines(await registry.metrics())).toEqual([
      'jobs_total{service="b",zone="shadowed"} 1',
      'depth{service="b",zone="z"} 1',
    ]);
    expect(registry.snapshot().metrics.map((m) => m.series[0]?.labels)).toEqual([
      { service: 'b', zone: 'shadowed' },
      { service: 'b', zone: 'z' },
    ]);
    registry.setDefaultLabels({});
    expect(sampleLines(await registry.metrics())).toEqual(['jobs_total 1', 'depth{zone="z"} 1']);
  });

  it('gives a metric in several registries each one’s current defaults', async () => {
    const a = new Registry({ defaultLabels: { r: 'a' } });
    const b = new Registry({ defaultLabels: { r: 'b' } });
    const jobs = a.counter({ name: 'jobs_total', help: 'Jobs.' });
    b.register(jobs);
    a.setDefaultLabels({ r: 'a2' });
    expect(sampleLines(await a.metrics())).toEqual(['jobs_total{r="a2"} 0']);
    expect(sampleLines(await b.metrics())).toEqual(['jobs_total{r="b"} 0']);
  });

  it('applies to collectors’ families too', () => {
    const registry = new Registry();
    registry.addCollector({
      name: 'ext',
      collect: () => [
        {
          name: 'ext_up',
          help: 'Up.',
          labelNames: [],
          type: 'gauge',
          series: [{ labels: {}, value: 1 }],
        },
      ],
    });
    registry.setDefaultLabels({ service: 'x' });
    expect(registry.snapshot().metrics[0]?.series[0]?.labels).toEqual({ service: 'x' });
  });

  it('checks the labels as the constructor does, naming the bad one', () => {
    const registry = new Registry({ defaultLabels: { service: 'a' }, maxLabelValueLength: 4 });
    expect(caught(() => registry.setDefaultLabels({ service: 1 } as never))).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('defaultLabels.service should be a string'),
    });
    expect(caught(() => registry.setDefaultLabels({ service: 'toolong' }))).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('defaultLabels.service'),
    });
    expect(caught(() => registry.setDefaultLabels({ 'bad-name': 'x' }))).toMatchObject({
      message: expect.stringContaining('bad-name'),
    });
    expect(caught(() => registry.setDefaultLabels({ le: 'x' }))).toMatchObject({
      code: 'INVALID_LABEL_NAME',
    });
    expect(caught(() => registry.setDefaultLabels(undefined as never))).toMatchObject({
      code: 'INVALID_OPTION',
    });
    expect(caught(() => registry.setDefaultLabels('x' as never))).toMatchObject({
      code: 'INVALID_OPTION',
    });
    expect(registry.defaultLabels).toEqual({ service: 'a' });
  });
});

describe('Registry.merge with register() and setDefaultLabels()', () => {
  it('keeps each origin registry’s current defaults, and lists a shared metric once', async () => {
    const a = new Registry({ defaultLabels: { r: 'a' }, clock: manualClock(0) });
    const b = new Registry({ defaultLabels: { r: 'b' } });
    const shared = a.counter({ name: 'shared_total', help: 'Shared.' });
    b.register(shared);
    b.gauge({ name: 'only_b', help: 'B.' });
    const merged = Registry.merge([a, b]);
    a.setDefaultLabels({ r: 'a2' });
    expect(merged.defaultLabels).toEqual({});
    expect(sampleLines(await merged.metrics())).toEqual([
      'shared_total{r="a2"} 0',
      'only_b{r="b"} 0',
    ]);
  });

  it('still refuses two metrics of one name', () => {
    const a = new Registry();
    const b = new Registry();
    a.counter({ name: 'jobs_total', help: 'Jobs.' });
    b.counter({ name: 'jobs_total', help: 'Jobs.' });
    expect(caught(() => Registry.merge([a, b]))).toMatchObject({
      code: 'METRIC_CONFLICT',
      message: expect.stringContaining('Registry.merge: '),
    });
  });
});
