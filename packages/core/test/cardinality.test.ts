import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { type Counter, type OverflowEvent, Registry } from '../src/index.js';

let warn: MockInstance<typeof process.emitWarning>;

beforeEach(() => {
  warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});

afterEach(() => {
  warn.mockRestore();
});

function overflowCount(registry: Registry, metric: string): number | undefined {
  const counter = registry.get('vigil_cardinality_overflow_total') as Counter<'metric'> | undefined;
  return counter?.get({ metric });
}

describe('the cardinality limit', () => {
  it('is 2,000 series per metric by default', async () => {
    const registry = new Registry();
    const counter = registry.counter({ name: 'hits_total', help: 'Hits.', labelNames: ['user'] });
    expect(counter.maxSeries).toBe(2000);
    for (let i = 0; i < 2000; i++) counter.inc({ user: `u${i}` });
    expect(counter.seriesCount).toBe(2000);
    expect(registry.get('vigil_cardinality_overflow_total')).toBeUndefined();
    counter.inc({ user: 'u2000' });
    expect(counter.seriesCount).toBe(2001);
    expect(counter.get({ user: 'u2000' })).toBeUndefined();
    expect(overflowCount(registry, 'hits_total')).toBe(1);
    expect(await registry.metrics()).toContain('hits_total{vigil_overflow="true"} 1\n');
  });

  it('can be set per registry with maxSeriesPerMetric and per metric with maxSeries', () => {
    const registry = new Registry({ maxSeriesPerMetric: 2 });
    const small = registry.gauge({ name: 'a', help: 'A.', labelNames: ['k'] });
    const larger = registry.gauge({ name: 'b', help: 'B.', labelNames: ['k'], maxSeries: 3 });
    expect(small.maxSeries).toBe(2);
    expect(larger.maxSeries).toBe(3);
    for (const k of ['1', '2', '3']) {
      small.set({ k }, 1);
      larger.set({ k }, 1);
    }
    expect(small.get({ k: '3' })).toBeUndefined();
    expect(larger.get({ k: '3' })).toBe(1);
    expect(overflowCount(registry, 'a')).toBe(1);
    expect(overflowCount(registry, 'b')).toBeUndefined();
  });

  it('sends every new label set past the limit to one overflow series', async () => {
    const registry = new Registry();
    const counter = registry.counter({
      name: 'http_requests_total',
      help: 'Requests.',
      labelNames: ['method', 'path'],
      maxSeries: 2,
    });
    counter.inc({ method: 'GET', path: '/a' });
    counter.inc({ method: 'GET', path: '/b' });
    counter.inc({ method: 'GET', path: '/c' });
    counter.inc({ method: 'POST', path: '/d' }, 5);
    counter.inc({ method: 'GET', path: '/c' });
    expect(counter.seriesCount).toBe(3);
    expect(await registry.metrics()).toContain(
      [
        '# TYPE http_requests_total counter',
        'http_requests_total{method="GET",path="/a"} 1',
        'http_requests_total{method="GET",path="/b"} 1',
        'http_requests_total{vigil_overflow="true"} 7',
        '',
      ].join('\n'),
    );
    expect(overflowCount(registry, 'http_requests_total')).toBe(3);
    expect(await registry.metrics()).toContain(
      'vigil_cardinality_overflow_total{metric="http_requests_total"} 3\n',
    );
  });

  it('keeps existing series working past the limit', () => {
    const registry = new Registry();
    const counter = registry.counter({
      name: 'jobs_total',
      help: 'Jobs.',
      labelNames: ['queue'],
      maxSeries: 1,
    });
    const child = counter.labels({ queue: 'a' });
    counter.inc({ queue: 'b' });
    counter.inc({ queue: 'a' }, 2);
    child.inc();
    expect(counter.get({ queue: 'a' })).toBe(3);
    expect(overflowCount(registry, 'jobs_total')).toBe(1);
  });

  it('binds a child past the limit to the overflow series', async () => {
    const registry = new Registry();
    const counter = registry.counter({
      name: 'jobs_total',
      help: 'Jobs.',
      labelNames: ['queue'],
      maxSeries: 1,
    });
    counter.inc({ queue: 'a' });
    const child = counter.labels({ queue: 'b' });
    child.inc(4);
    expect(await registry.metrics()).toContain('jobs_total{vigil_overflow="true"} 4\n');
  });

  it('emits an overflow event each time and warns once per metric', () => {
    const registry = new Registry();
    const events: OverflowEvent[] = [];
    registry.on('overflow', (event) => events.push(event));
    const a = registry.counter({ name: 'a_total', help: 'A.', labelNames: ['k'], maxSeries: 1 });
    const b = registry.counter({ name: 'b_total', help: 'B.', labelNames: ['k'], maxSeries: 2 });
    a.inc({ k: '1' });
    a.inc({ k: '2' });
    a.inc({ k: '3' });
    b.inc({ k: '1' });
    b.inc({ k: '2' });
    b.inc({ k: '3' });
    expect(events).toEqual([
      { metric: 'a_total', limit: 1 },
      { metric: 'a_total', limit: 1 },
      { metric: 'b_total', limit: 2 },
    ]);
    expect(warn).toHaveBeenCalledTimes(2);
    const [message, options] = warn.mock.calls[0] as [string, { type: string; code: string }];
    expect(message).toContain('a_total');
    expect(message).toContain('vigil_overflow="true"');
    expect(message).toContain('maxSeries');
    expect(options).toEqual({ type: 'VigilWarning', code: 'CARDINALITY_OVERFLOW' });
  });

  it('applies to histograms and summaries, rendering le and quantile after it', async () => {
    const registry = new Registry();
    const histogram = registry.histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      labelNames: ['route'],
      buckets: [1],
      maxSeries: 1,
    });
    const summary = registry.summary({
      name: 'query_seconds',
      help: 'Queries.',
      labelNames: ['table'],
      quantiles: [0.5],
      maxSeries: 1,
    });
    histogram.observe({ route: '/a' }, 0.5);
    histogram.observe({ route: '/b' }, 2);
    summary.observe({ table: 'a' }, 1);
    summary.observe({ table: 'b' }, 3);
    const text = await registry.metrics();
    expect(text).toContain('latency_seconds_bucket{vigil_overflow="true",le="1"} 0\n');
    expect(text).toContain('latency_seconds_bucket{vigil_overflow="true",le="+Inf"} 1\n');
    expect(text).toContain('latency_seconds_count{vigil_overflow="true"} 1\n');
    expect(text).toContain('query_seconds{vigil_overflow="true",quantile="0.5"} 3\n');
    expect(text).toContain('query_seconds_count{vigil_overflow="true"} 1\n');
  });

  it('frees a place when a series is removed', () => {
    const registry = new Registry();
    const gauge = registry.gauge({
      name: 'depth',
      help: 'Depth.',
      labelNames: ['q'],
      maxSeries: 1,
    });
    gauge.set({ q: 'a' }, 1);
    gauge.remove({ q: 'a' });
    gauge.set({ q: 'b' }, 2);
    expect(gauge.get({ q: 'b' })).toBe(2);
    expect(registry.get('vigil_cardinality_overflow_total')).toBeUndefined();
  });

  it('survives the overflow counter reaching its own limit', async () => {
    const registry = new Registry({ maxSeriesPerMetric: 1 });
    const a = registry.counter({ name: 'a_total', help: 'A.', labelNames: ['k'] });
    const b = registry.counter({ name: 'b_total', help: 'B.', labelNames: ['k'] });
    a.inc({ k: '1' });
    a.inc({ k: '2' });
    b.inc({ k: '1' });
    expect(() => b.inc({ k: '2' })).not.toThrow();
    expect(await registry.metrics()).toContain('b_total{vigil_overflow="true"} 1\n');
  });

  it('survives more metrics overflowing than maxSeriesPerMetric', async () => {
    const registry = new Registry({ maxSeriesPerMetric: 3 });
    const metrics = Array.from({ length: 5 }, (_, i) =>
      registry.counter({ name: `m${i}_total`, help: 'M.', labelNames: ['k'] }),
    );
    expect(() => {
      for (const metric of metrics) for (let k = 0; k < 5; k++) metric.inc({ k: String(k) });
    }).not.toThrow();
    expect(await registry.metrics()).toContain('m4_total{vigil_overflow="true"} 2\n');
  });
});
