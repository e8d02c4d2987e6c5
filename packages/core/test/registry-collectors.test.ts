import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  type BackgroundErrorContext,
  type MetricSnapshot,
  Registry,
  renderSnapshot,
  type SnapshotCollector,
} from '../src/index.js';

function reporting() {
  const errors: Array<[unknown, BackgroundErrorContext]> = [];
  const registry = new Registry({
    defaultLabels: { service: 'api' },
    onError: (error, context) => errors.push([error, context]),
  });
  return { registry, errors };
}

const requests: MetricSnapshot = {
  name: 'external_requests_total',
  help: 'Requests seen elsewhere.',
  type: 'counter',
  labelNames: ['route'],
  series: [{ labels: { route: '/a' }, value: 7, created: 1_700_000_000_000 }],
};
const latency: MetricSnapshot = {
  name: 'external_latency_seconds',
  help: 'Latency seen elsewhere.',
  type: 'histogram',
  labelNames: [],
  bounds: [0.1, 1],
  series: [{ labels: {}, counts: [2, 1, 1], sum: 3.2, count: 4, created: 1_700_000_000_000 }],
};

describe('registry collectors', () => {
  it('renders a collector’s families after the metrics, with the default labels, in both formats', async () => {
    const { registry } = reporting();
    registry.counter({ name: 'own_total', help: 'Own.' }).inc(2);
    registry.addCollector({ name: 'elsewhere', collect: () => [requests, latency] });
    const text = await registry.metrics();
    expect(text).toBe(
      [
        '# HELP own_total Own.',
        '# TYPE own_total counter',
        'own_total{service="api"} 2',
        '# HELP external_requests_total Requests seen elsewhere.',
        '# TYPE external_requests_total counter',
        'external_requests_total{service="api",route="/a"} 7',
        '# HELP external_latency_seconds Latency seen elsewhere.',
        '# TYPE external_latency_seconds histogram',
        'external_latency_seconds_bucket{service="api",le="0.1"} 2',
        'external_latency_seconds_bucket{service="api",le="1"} 3',
        'external_latency_seconds_bucket{service="api",le="+Inf"} 4',
        'external_latency_seconds_sum{service="api"} 3.2',
        'external_latency_seconds_count{service="api"} 4',
        '',
      ].join('\n'),
    );
    expect(() => execFileSync('promtool', ['check', 'metrics'], { input: text })).not.toThrow();
    const open = await registry.metrics({ format: 'openmetrics' });
    expect(open).toContain('external_requests_total{service="api",route="/a"} 7\n');
    expect(open).toContain('external_requests_created{service="api",route="/a"} 1700000000\n');
    expect(
      open.endsWith('external_latency_seconds_created{service="api"} 1700000000\n# EOF\n'),
    ).toBe(true);
  });

  it('a series label wins over a default label of the same name', async () => {
    const { registry } = reporting();
    const own = {
      ...requests,
      series: [{ labels: { service: 'other', route: '/b' }, value: 1, created: 0 }],
    };
    registry.addCollector({ name: 'c', collect: () => [own] });
    expect(await registry.metrics()).toContain(
      'external_requests_total{service="other",route="/b"} 1',
    );
  });

  it('awaits async collectors in metrics() and collect(); snapshot() lists their latest answer', async () => {
    const { registry } = reporting();
    let value = 1;
    registry.addCollector({
      name: 'slow',
      collect: async () => [{ ...requests, series: [{ labels: {}, value: value++, created: 0 }] }],
    });
    expect(registry.snapshot().metrics).toEqual([]); // the first answer is still on its way
    await registry.collect();
    const listed = registry.snapshot().metrics;
    expect(listed).toHaveLength(1);
    expect(listed[0]?.series[0]).toMatchObject({ labels: { service: 'api' }, value: 2 });
    expect(await registry.metrics()).toContain('external_requests_total{service="api"} 4');
  });

  it('snapshot() lists a synchronous collector’s families, and renderSnapshot renders them as metrics() does', async () => {
    const { registry } = reporting();
    registry.gauge({ name: 'own_gauge', help: 'Own.' }).set(1);
    registry.addCollector({ name: 'sync', collect: () => [requests, latency] });
    expect(renderSnapshot(registry.snapshot())).toBe(await registry.metrics());
  });

  it('a failing collector keeps its previous families and goes to onError', async () => {
    const { registry, errors } = reporting();
    let fail = false;
    registry.addCollector({
      name: 'flaky',
      collect: () => {
        if (fail) throw new Error('down');
        return [requests];
      },
    });
    await registry.collect();
    fail = true;
    expect(await registry.metrics()).toContain(
      'external_requests_total{service="api",route="/a"} 7',
    );
    expect(errors.map(([error, context]) => [(error as Error).message, context.operation])).toEqual(
      [['down', 'collector flaky']],
    );
  });

  it('an answer that is not an array goes to onError', async () => {
    const { registry, errors } = reporting();
    registry.addCollector({ name: 'odd', collect: () => ({}) as never });
    await registry.metrics();
    expect(errors[0]?.[0]).toBeInstanceOf(TypeError);
    expect(String(errors[0]?.[0])).toMatch(
      /should answer an array of metric snapshots, got object/,
    );
  });

  it('leaves out a family named like a metric or an earlier family, reporting METRIC_CONFLICT', async () => {
    const { registry, errors } = reporting();
    registry.counter({ name: 'external_requests_total', help: 'Mine.' }).inc();
    registry.addCollector({ name: 'a', collect: () => [requests, latency] });
    registry.addCollector({ name: 'b', collect: () => [latency] });
    const text = await registry.metrics();
    expect(text.match(/# TYPE external_requests_total/g)).toHaveLength(1);
    expect(text.match(/# TYPE external_latency_seconds/g)).toHaveLength(1);
    expect(
      errors.map(([error, context]) => [(error as { code: string }).code, context.operation]),
    ).toEqual([
      ['METRIC_CONFLICT', 'collector a'],
      ['METRIC_CONFLICT', 'collector b'],
    ]);
  });

  it('refuses a second collector of one name and something that is not a collector; removes and clears', async () => {
    const { registry } = reporting();
    const collector: SnapshotCollector = { name: 'x', collect: () => [requests] };
    registry.addCollector(collector);
    expect(() => registry.addCollector(collector)).toThrow(/collector 'x' is already registered/);
    expect(() => registry.addCollector({ name: '', collect: () => [] })).toThrow(
      /collector should be \{ name, collect\(\) \} with a non-empty name/,
    );
    expect(() => registry.addCollector(null as never)).toThrow(
      /INVALID_OPTION|collector should be/,
    );
    expect(registry.removeCollector('x')).toBe(true);
    expect(registry.removeCollector('x')).toBe(false);
    registry.addCollector(collector);
    registry.clear();
    expect(await registry.metrics()).toBe('');
  });

  it('a malformed family is reported and left out, never thrown into the scrape', async () => {
    const { registry, errors } = reporting();
    const broken = { name: 'broken', help: 'B.', type: 'gauge', labelNames: [] };
    registry.addCollector({ name: 'bad', collect: () => [broken as never, requests] });
    const text = await registry.metrics();
    expect(text).toContain('external_requests_total{service="api",route="/a"} 7');
    expect(text).not.toContain('broken');
    expect(String(errors[0]?.[0])).toMatch(/family 'broken': series should be an array/);
  });

  it('a family whose exposed names collide with a metric’s (lat_sum next to a summary lat) is left out', async () => {
    const { registry, errors } = reporting();
    registry.summary({ name: 'lat', help: 'L.' }).observe(1);
    const latSum: MetricSnapshot = {
      name: 'lat_sum',
      help: 'S.',
      type: 'gauge',
      labelNames: [],
      series: [{ labels: {}, value: 1 }],
    };
    registry.addCollector({ name: 'clash', collect: () => [latSum] });
    expect(await registry.metrics()).not.toContain('# TYPE lat_sum');
    expect(errors.map(([error]) => (error as { code: string }).code)).toEqual(['METRIC_CONFLICT']);
  });

  it('keeps a default label named like an Object.prototype member', async () => {
    const registry = new Registry({ defaultLabels: { constructor: 'eu-1' } });
    registry.addCollector({ name: 'c', collect: () => [requests] });
    expect(await registry.metrics()).toContain(
      'external_requests_total{constructor="eu-1",route="/a"} 7',
    );
  });

  it('Registry.merge keeps the collectors of every registry', async () => {
    const one = new Registry();
    one.addCollector({ name: 'one', collect: () => [requests] });
    const merged = Registry.merge([one, new Registry()]);
    expect(await merged.metrics()).toContain('external_requests_total{route="/a"} 7');
  });
});
