import { Registry, type RegistrySnapshot } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { describe, expect, it } from 'vitest';
import { classicSeries, type RemoteWriteTimeSeries } from '../src/index.js';

const T = 1_767_225_600_000;

/** `{__name__="x",a="b"} value` per series, for readable assertions. */
function render(series: RemoteWriteTimeSeries[]): string[] {
  return series.map(({ labels, samples }) => {
    const pairs = labels.map(({ name, value }) => `${name}="${value}"`).join(',');
    return `{${pairs}} ${samples.map((s) => `${s.value}@${s.timestamp}`).join(' ')}`;
  });
}

function registryAt(options: ConstructorParameters<typeof Registry>[0] = {}): Registry {
  return new Registry({ clock: manualClock(T), ...options });
}

describe('classicSeries', () => {
  it('writes counters and gauges as one series each, under their names', () => {
    const registry = registryAt();
    const requests = registry.counter({
      name: 'http_requests_total',
      help: 'Requests',
      labelNames: ['method', 'code'],
    });
    requests.inc({ method: 'GET', code: '200' }, 3);
    requests.inc({ method: 'POST', code: '500' });
    registry.gauge({ name: 'queue_depth', help: 'Depth' }).set(-2.5);
    expect(render(classicSeries(registry.snapshot()))).toEqual([
      `{__name__="http_requests_total",code="200",method="GET"} 3@${T}`,
      `{__name__="http_requests_total",code="500",method="POST"} 1@${T}`,
      `{__name__="queue_depth"} -2.5@${T}`,
    ]);
  });

  it('writes a histogram as cumulative _bucket series ending at +Inf, then _sum and _count', () => {
    const registry = registryAt();
    const latency = registry.histogram({
      name: 'latency_seconds',
      help: 'Latency',
      labelNames: ['route'],
      buckets: [0.005, 0.1, 1, 1e6],
    });
    for (const value of [0.001, 0.05, 0.07, 0.5, 3, 2e6]) latency.observe({ route: '/' }, value);
    expect(render(classicSeries(registry.snapshot()))).toEqual([
      `{__name__="latency_seconds_bucket",le="0.005",route="/"} 1@${T}`,
      `{__name__="latency_seconds_bucket",le="0.1",route="/"} 3@${T}`,
      `{__name__="latency_seconds_bucket",le="1",route="/"} 4@${T}`,
      `{__name__="latency_seconds_bucket",le="1000000",route="/"} 5@${T}`,
      `{__name__="latency_seconds_bucket",le="+Inf",route="/"} 6@${T}`,
      `{__name__="latency_seconds_sum",route="/"} ${0.001 + 0.05 + 0.07 + 0.5 + 3 + 2e6}@${T}`,
      `{__name__="latency_seconds_count",route="/"} 6@${T}`,
    ]);
  });

  it('spells le and quantile as the registry text exposition does', async () => {
    const registry = registryAt();
    registry.histogram({ name: 'h', help: 'h', buckets: [0.25, 2, 1e21] }).observe(1);
    registry.summary({ name: 's', help: 's', quantiles: [0.5, 0.99, 1] }).observe(1);
    const text = await registry.metrics();
    const written = classicSeries(registry.snapshot());
    const spelt = (name: string) =>
      written.flatMap((series) => series.labels.filter((l) => l.name === name).map((l) => l.value));
    expect(spelt('le')).toEqual(['0.25', '2', '1e+21', '+Inf']);
    expect(spelt('quantile')).toEqual(['0.5', '0.99', '1']);
    for (const le of spelt('le')) expect(text).toContain(`h_bucket{le="${le}"}`);
    for (const quantile of spelt('quantile')) expect(text).toContain(`s{quantile="${quantile}"}`);
  });

  it('writes a summary as {quantile} series with the snapshot estimates, then _sum and _count', () => {
    const registry = registryAt();
    const summary = registry.summary({
      name: 'query_seconds',
      help: 'Queries',
      labelNames: ['db'],
      quantiles: [0.5, 0.9],
    });
    for (let i = 1; i <= 100; i++) summary.observe({ db: 'main' }, i);
    const snapshot = registry.snapshot();
    const metric = snapshot.metrics[0];
    if (metric?.type !== 'summary') throw new Error('expected the summary');
    const [p50, p90] = metric.series[0]?.quantiles ?? [];
    expect(p50).toBeGreaterThan(45);
    expect(p90).toBeGreaterThan(85);
    expect(render(classicSeries(snapshot))).toEqual([
      `{__name__="query_seconds",db="main",quantile="0.5"} ${p50}@${T}`,
      `{__name__="query_seconds",db="main",quantile="0.9"} ${p90}@${T}`,
      `{__name__="query_seconds_sum",db="main"} 5050@${T}`,
      `{__name__="query_seconds_count",db="main"} 100@${T}`,
    ]);
  });

  it('sorts labels by name, default and external labels included; a series label wins', () => {
    const registry = registryAt({ defaultLabels: { service: 'api', a_first: 'x' } });
    registry.counter({ name: 'c_total', help: 'c', labelNames: ['zone', 'cluster'] }).inc({
      zone: 'z1',
      cluster: 'own',
    });
    const written = classicSeries(registry.snapshot(), {
      externalLabels: { cluster: 'external', replica: 'r1', _b: 'y' },
    });
    expect(written[0]?.labels.map((l) => l.name)).toEqual([
      '__name__',
      '_b',
      'a_first',
      'cluster',
      'replica',
      'service',
      'zone',
    ]);
    expect(written[0]?.labels.find((l) => l.name === 'cluster')?.value).toBe('own');
  });

  it('leaves out labels with an empty value; an external label fills one in', () => {
    const registry = registryAt();
    registry.gauge({ name: 'g', help: 'g', labelNames: ['a', 'b'] }).set({ a: '', b: '' }, 1);
    expect(render(classicSeries(registry.snapshot(), { externalLabels: { b: 'ext' } }))).toEqual([
      `{__name__="g",b="ext"} 1@${T}`,
    ]);
  });

  it('never lets an external le or quantile duplicate the bucket or quantile label', () => {
    const registry = registryAt();
    registry.histogram({ name: 'h', help: 'h', buckets: [1] }).observe(0.5);
    const written = classicSeries(registry.snapshot(), { externalLabels: { le: 'no' } });
    const bucket = written[0]?.labels ?? [];
    expect(bucket.filter((l) => l.name === 'le')).toEqual([{ name: 'le', value: '1' }]);
    const sum = written.find((s) => s.labels[0]?.value === 'h_sum');
    expect(sum?.labels).toContainEqual({ name: 'le', value: 'no' });
  });

  it('stamps every sample with one timestamp: the given one, else the snapshot time', () => {
    const registry = registryAt();
    registry.gauge({ name: 'g', help: 'g' }).set(1);
    registry.histogram({ name: 'h', help: 'h', buckets: [1] }).observe(2);
    const stamps = (series: RemoteWriteTimeSeries[]) =>
      new Set(series.flatMap((s) => s.samples.map((sample) => sample.timestamp)));
    expect(stamps(classicSeries(registry.snapshot()))).toEqual(new Set([T]));
    expect(stamps(classicSeries(registry.snapshot(), { timestamp: 42 }))).toEqual(new Set([42]));
  });

  it('writes NaN, and a snapshot that went through JSON (null for NaN) as NaN', () => {
    const registry = registryAt();
    registry.gauge({ name: 'g', help: 'g' }).set(Number.NaN);
    registry.gauge({ name: 'inf', help: 'g' }).set(Number.POSITIVE_INFINITY);
    const direct = classicSeries(registry.snapshot());
    const viaJson = classicSeries(
      JSON.parse(JSON.stringify(registry.snapshot())) as RegistrySnapshot,
    );
    expect(direct.map((s) => s.samples[0]?.value)).toEqual([Number.NaN, Number.POSITIVE_INFINITY]);
    expect(viaJson.map((s) => s.samples[0]?.value)).toEqual([Number.NaN, Number.NaN]);
  });

  it('writes nothing for a registry without series', () => {
    const registry = registryAt();
    registry.counter({ name: 'unused_total', help: 'never incremented', labelNames: ['x'] });
    expect(classicSeries(registry.snapshot())).toEqual([]);
  });
});
