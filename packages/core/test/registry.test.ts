import { caught } from '@vigil/test-support';
import { describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  Counter,
  Gauge,
  type InvalidObservationEvent,
  MetricConflictError,
  OPENMETRICS_CONTENT_TYPE,
  type OverflowEvent,
  PROMETHEUS_CONTENT_TYPE,
  Registry,
  SNAPSHOT_VERSION,
} from '../src/index.js';
import { manualClock } from '../src/testing/index.js';

function expectConfigurationError(fn: () => unknown, code: string, mention?: string): void {
  const error = caught(fn);
  expect(error).toBeInstanceOf(ConfigurationError);
  expect(error).toMatchObject({ code });
  if (mention !== undefined) expect((error as Error).message).toContain(mention);
}

describe('new Registry()', () => {
  it('has sensible defaults', () => {
    const registry = new Registry();
    expect(registry.prefix).toBe('');
    expect(registry.defaultLabels).toEqual({});
    expect(registry.onInvalid).toBe('drop');
    expect(registry.maxSeriesPerMetric).toBe(2000);
    expect(registry.contentType).toBe(PROMETHEUS_CONTENT_TYPE);
  });

  it('rejects an unknown option with INVALID_OPTION naming it', () => {
    expectConfigurationError(
      () => new Registry({ defaultLabel: { service: 'api' } } as never),
      'INVALID_OPTION',
      "'defaultLabel'",
    );
  });

  it('rejects an onInvalid other than drop or throw', () => {
    expectConfigurationError(
      () => new Registry({ onInvalid: 'ignore' as never }),
      'INVALID_OPTION',
      'onInvalid',
    );
  });

  it.each([0, -1, 1.5, Number.NaN])(
    'rejects maxSeriesPerMetric %d at construction, naming the option',
    (maxSeriesPerMetric) => {
      expectConfigurationError(
        () => new Registry({ maxSeriesPerMetric }),
        'INVALID_OPTION',
        'maxSeriesPerMetric',
      );
    },
  );

  it('freezes a copy of defaultLabels', () => {
    const labels = { service: 'api' };
    const registry = new Registry({ defaultLabels: labels });
    labels.service = 'changed';
    expect(registry.defaultLabels).toEqual({ service: 'api' });
    expect(Object.isFrozen(registry.defaultLabels)).toBe(true);
  });
});

describe('defining metrics', () => {
  it('makes each of the four types', () => {
    const registry = new Registry();
    expect(registry.counter({ name: 'a_total', help: 'A.' }).type).toBe('counter');
    expect(registry.gauge({ name: 'b', help: 'B.' }).type).toBe('gauge');
    expect(registry.histogram({ name: 'c_seconds', help: 'C.' }).type).toBe('histogram');
    expect(registry.summary({ name: 'd_seconds', help: 'D.' }).type).toBe('summary');
  });

  it('returns the same object when the same definition is registered again', () => {
    const registry = new Registry();
    const options = { name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'] as const };
    const counter = registry.counter(options);
    expect(registry.counter({ ...options, labelNames: ['queue'] })).toBe(counter);
    const histogram = registry.histogram({ name: 'job_seconds', help: 'Jobs.', buckets: [1, 2] });
    expect(registry.histogram({ name: 'job_seconds', help: 'Jobs.', buckets: [1, 2] })).toBe(
      histogram,
    );
    const summary = registry.summary({ name: 'query_seconds', help: 'Q.', maxAge: '10m' });
    expect(registry.summary({ name: 'query_seconds', help: 'Q.', maxAge: 600_000 })).toBe(summary);
    expect(registry.getAll()).toHaveLength(3);
  });

  it.each([
    ['another type', (r: Registry) => r.gauge({ name: 'jobs_total', help: 'Jobs.' }), 'type'],
    ['another help', (r: Registry) => r.counter({ name: 'jobs_total', help: 'Other.' }), 'help'],
    [
      'other label names',
      (r: Registry) => r.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'] }),
      'labelNames',
    ],
    [
      'another maxSeries',
      (r: Registry) => r.counter({ name: 'jobs_total', help: 'Jobs.', maxSeries: 5 }),
      'maxSeries',
    ],
  ])('throws METRIC_CONFLICT for the same name with %s', (_, define, field) => {
    const registry = new Registry();
    registry.counter({ name: 'jobs_total', help: 'Jobs.' });
    const error = caught(() => define(registry));
    expect(error).toBeInstanceOf(MetricConflictError);
    expect(error).toMatchObject({ code: 'METRIC_CONFLICT' });
    expect((error as Error).message).toContain("'jobs_total'");
    expect((error as Error).message).toContain(field);
  });

  it('throws METRIC_CONFLICT for differing buckets or quantiles', () => {
    const registry = new Registry();
    registry.histogram({ name: 'job_seconds', help: 'Jobs.', buckets: [1, 2] });
    registry.summary({ name: 'query_seconds', help: 'Q.', quantiles: [0.5] });
    expect(
      caught(() => registry.histogram({ name: 'job_seconds', help: 'Jobs.', buckets: [1, 3] })),
    ).toMatchObject({ code: 'METRIC_CONFLICT' });
    expect(
      caught(() => registry.summary({ name: 'query_seconds', help: 'Q.', quantiles: [0.9] })),
    ).toMatchObject({ code: 'METRIC_CONFLICT' });
    expect(
      caught(() =>
        registry.summary({ name: 'query_seconds', help: 'Q.', quantiles: [0.5], maxAge: '1m' }),
      ),
    ).toMatchObject({ code: 'METRIC_CONFLICT' });
  });

  it('rejects unknown options with INVALID_OPTION naming them', () => {
    const registry = new Registry();
    expectConfigurationError(
      () => registry.counter({ name: 'jobs_total', help: 'Jobs.', labels: ['a'] } as never),
      'INVALID_OPTION',
      "'labels'",
    );
    expectConfigurationError(
      () => registry.gauge({ name: 'depth', help: 'Depth.', buckets: [1] } as never),
      'INVALID_OPTION',
      "'buckets'",
    );
    expectConfigurationError(
      () => registry.histogram({ name: 'h_seconds', help: 'H.', quantiles: [0.5] } as never),
      'INVALID_OPTION',
      "'quantiles'",
    );
    expectConfigurationError(
      () => registry.summary({ name: 's_seconds', help: 'S.', percentiles: [0.5] } as never),
      'INVALID_OPTION',
      "'percentiles'",
    );
  });

  it('rejects options that are not an object', () => {
    expectConfigurationError(() => new Registry().counter(null as never), 'INVALID_OPTION');
  });

  it('requires a non-empty help', () => {
    expectConfigurationError(
      () => new Registry().counter({ name: 'jobs_total', help: '' }),
      'INVALID_OPTION',
      'help',
    );
    expectConfigurationError(
      () => new Registry().counter({ name: 'jobs_total' } as never),
      'INVALID_OPTION',
      'help',
    );
  });

  it('rejects a maxSeries that is not a positive integer', () => {
    for (const maxSeries of [0, -5, 2.5]) {
      expectConfigurationError(
        () => new Registry().counter({ name: 'jobs_total', help: 'Jobs.', maxSeries }),
        'INVALID_OPTION',
        'maxSeries',
      );
    }
  });

  it('rejects a unit that the name does not end with (OpenMetrics rule)', () => {
    expectConfigurationError(
      () => new Registry().gauge({ name: 'request_latency', help: 'Latency.', unit: 'seconds' }),
      'INVALID_OPTION',
      'unit',
    );
  });

  it('accepts a unit that ends the name (before _total for a counter)', () => {
    const registry = new Registry();
    expect(registry.gauge({ name: 'memory_bytes', help: 'Memory.', unit: 'bytes' }).unit).toBe(
      'bytes',
    );
    expect(
      registry.counter({ name: 'cpu_seconds_total', help: 'CPU.', unit: 'seconds' }).unit,
    ).toBe('seconds');
  });
});

describe('prefix', () => {
  it('is prepended to every metric name', async () => {
    const registry = new Registry({ prefix: 'myapp_' });
    const counter = registry.counter({ name: 'jobs_total', help: 'Jobs.' });
    counter.inc();
    expect(counter.name).toBe('myapp_jobs_total');
    expect(await registry.metrics()).toBe(
      '# HELP myapp_jobs_total Jobs.\n# TYPE myapp_jobs_total counter\nmyapp_jobs_total 1\n',
    );
  });

  it('get() and remove() find a metric with or without the prefix', () => {
    const registry = new Registry({ prefix: 'myapp_' });
    const counter = registry.counter({ name: 'jobs_total', help: 'Jobs.' });
    expect(registry.get('jobs_total')).toBe(counter);
    expect(registry.get('myapp_jobs_total')).toBe(counter);
    expect(registry.remove('jobs_total')).toBe(true);
    expect(registry.get('myapp_jobs_total')).toBeUndefined();
    registry.counter({ name: 'jobs_total', help: 'Jobs.' });
    expect(registry.remove('myapp_jobs_total')).toBe(true);
  });
});

describe('get, getAll, remove, clear, resetAll', () => {
  it('get() returns the metric or undefined', () => {
    const registry = new Registry();
    const gauge = registry.gauge({ name: 'depth', help: 'Depth.' });
    expect(registry.get('depth')).toBe(gauge);
    expect(registry.get('missing')).toBeUndefined();
  });

  it('getAll() lists the metrics in registration order', () => {
    const registry = new Registry();
    const b = registry.gauge({ name: 'b', help: 'B.' });
    const a = registry.counter({ name: 'a_total', help: 'A.' });
    expect(registry.getAll()).toEqual([b, a]);
    expect(registry.getAll()[0]).toBeInstanceOf(Gauge);
    expect(registry.getAll()[1]).toBeInstanceOf(Counter);
  });

  it('remove() unregisters one metric and says whether it was there', async () => {
    const registry = new Registry();
    registry.gauge({ name: 'a', help: 'A.' });
    registry.gauge({ name: 'b', help: 'B.' });
    expect(registry.remove('a')).toBe(true);
    expect(registry.remove('a')).toBe(false);
    expect(registry.getAll().map((metric) => metric.name)).toEqual(['b']);
    expect(await registry.metrics()).not.toContain('# HELP a ');
  });

  it('remove() lets the name be registered again with a new definition', () => {
    const registry = new Registry();
    registry.gauge({ name: 'a', help: 'A.' });
    registry.remove('a');
    expect(registry.counter({ name: 'a', help: 'Now a counter.' }).type).toBe('counter');
  });

  it('clear() unregisters everything', async () => {
    const registry = new Registry();
    registry.gauge({ name: 'a', help: 'A.' });
    registry.counter({ name: 'b_total', help: 'B.' });
    registry.clear();
    expect(registry.getAll()).toEqual([]);
    expect(await registry.metrics()).toBe('');
    expect(await registry.metrics({ format: 'openmetrics' })).toBe('# EOF\n');
  });

  it('resetAll() resets every metric but keeps them registered', () => {
    const registry = new Registry();
    const counter = registry.counter({ name: 'jobs_total', help: 'Jobs.' });
    const gauge = registry.gauge({ name: 'depth', help: 'Depth.', labelNames: ['queue'] });
    const histogram = registry.histogram({ name: 'job_seconds', help: 'Jobs.' });
    counter.inc(5);
    gauge.set({ queue: 'a' }, 3);
    histogram.observe(1);
    registry.resetAll();
    expect(counter.get()).toBe(0);
    expect(gauge.get({ queue: 'a' })).toBeUndefined();
    expect(histogram.get()?.count).toBe(0);
    expect(registry.getAll()).toHaveLength(3);
  });
});

describe('metrics() and content types', () => {
  it('renders the Prometheus format by default and OpenMetrics on request', async () => {
    const registry = new Registry();
    registry.counter({ name: 'jobs_total', help: 'Jobs.' }).inc(2);
    expect(await registry.metrics()).toBe(await registry.metrics({ format: 'prometheus' }));
    expect(await registry.metrics()).toBe(
      '# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total 2\n',
    );
    const openMetrics = await registry.metrics({ format: 'openmetrics' });
    expect(openMetrics).toMatch(/^# HELP jobs Jobs\.\n# TYPE jobs counter\njobs_total 2\n/);
    expect(openMetrics.endsWith('# EOF\n')).toBe(true);
  });

  it('rejects an unknown format with INVALID_OPTION', async () => {
    const error = await new Registry().metrics({ format: 'json' as never }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toBe(
      'registry.metrics(): format should be one of "prometheus", "openmetrics", got "json"',
    );
  });

  it('gives the content type of each format', () => {
    expect(PROMETHEUS_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(OPENMETRICS_CONTENT_TYPE).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    expect(Registry.contentTypeOf('prometheus')).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(Registry.contentTypeOf('openmetrics')).toBe(OPENMETRICS_CONTENT_TYPE);
    expect(new Registry().contentType).toBe(PROMETHEUS_CONTENT_TYPE);
  });
});

describe('defaultLabels', () => {
  it('are added first to every series of every metric', async () => {
    const registry = new Registry({ defaultLabels: { service: 'api', region: 'eu' } });
    registry
      .counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'] })
      .inc({ queue: 'a' });
    registry.gauge({ name: 'depth', help: 'Depth.' }).set(3);
    const text = await registry.metrics();
    expect(text).toContain('jobs_total{service="api",region="eu",queue="a"} 1\n');
    expect(text).toContain('depth{service="api",region="eu"} 3\n');
  });

  it('give way to a metric’s own label of the same name', async () => {
    const registry = new Registry({ defaultLabels: { service: 'api', region: 'eu' } });
    const counter = registry.counter({
      name: 'jobs_total',
      help: 'Jobs.',
      labelNames: ['service', 'queue'],
    });
    counter.inc({ service: 'worker', queue: 'a' });
    expect(await registry.metrics()).toContain(
      'jobs_total{region="eu",service="worker",queue="a"} 1\n',
    );
    expect(registry.snapshot().metrics[0]).toMatchObject({
      series: [{ labels: { region: 'eu', service: 'worker', queue: 'a' } }],
    });
  });
});

describe('snapshot()', () => {
  it('returns versioned plain JSON of every metric, default labels included', () => {
    const clock = manualClock(1_700_000_000_000);
    const registry = new Registry({ clock, defaultLabels: { service: 'api' } });
    registry.counter({ name: 'jobs_total', help: 'Jobs.' }).inc(2);
    registry.gauge({ name: 'memory_bytes', help: 'Memory.', unit: 'bytes' }).set(Number.NaN);
    clock.advance(500);
    const snapshot = registry.snapshot();
    expect(snapshot.version).toBe(SNAPSHOT_VERSION);
    expect(SNAPSHOT_VERSION).toBe(1);
    expect(snapshot.timestamp).toBe(1_700_000_000_500);
    expect(snapshot.metrics).toEqual([
      {
        name: 'jobs_total',
        help: 'Jobs.',
        labelNames: [],
        type: 'counter',
        series: [{ labels: { service: 'api' }, value: 2, created: 1_700_000_000_000 }],
      },
      {
        name: 'memory_bytes',
        help: 'Memory.',
        unit: 'bytes',
        labelNames: [],
        type: 'gauge',
        series: [{ labels: { service: 'api' }, value: Number.NaN }],
      },
    ]);
    // Plain JSON: it survives a round trip (NaN becomes null, as documented).
    const parsed = JSON.parse(JSON.stringify(snapshot));
    expect(parsed.metrics[1].series[0].value).toBeNull();
  });
});

describe('collect()', () => {
  it('runs every collect callback, sync and async, and waits for them', async () => {
    const registry = new Registry();
    const calls: string[] = [];
    registry.gauge({ name: 'a', help: 'A.', collect: () => void calls.push('a') });
    registry.gauge({
      name: 'b',
      help: 'B.',
      collect: async (g) => {
        await new Promise<void>((resolve) => queueMicrotask(resolve));
        g.set(7);
        calls.push('b');
      },
    });
    await registry.collect();
    expect(calls).toEqual(['a', 'b']);
    expect((registry.get('b') as Gauge<never>).get()).toBe(7);
  });

  it('reports a failing callback to onError and carries on', async () => {
    const events: Array<{ error: unknown; source: string; operation: string }> = [];
    const registry = new Registry({
      onError: (error, { source, operation }) => events.push({ error, source, operation }),
    });
    const boom = new Error('boom');
    registry.gauge({
      name: 'a',
      help: 'A.',
      collect: () => {
        throw boom;
      },
    });
    registry.gauge({ name: 'b', help: 'B.', collect: () => Promise.reject(boom) });
    registry.gauge({ name: 'c', help: 'C.', collect: (g) => g.set(1) });
    await expect(registry.collect()).resolves.toBeUndefined();
    expect(events).toEqual([
      { error: boom, source: 'Registry', operation: 'collect a' },
      { error: boom, source: 'Registry', operation: 'collect b' },
    ]);
    expect((registry.get('c') as Gauge<never>).get()).toBe(1);
  });
});

describe('Registry.merge', () => {
  it('holds the metrics of all registries, each with its own default labels', async () => {
    const api = new Registry({ defaultLabels: { service: 'api' } });
    const worker = new Registry({ defaultLabels: { service: 'worker' } });
    const requests = api.counter({ name: 'http_requests_total', help: 'Requests.' });
    const jobs = worker.counter({ name: 'jobs_total', help: 'Jobs.' });
    requests.inc(3);
    jobs.inc(2);
    const merged = Registry.merge([api, worker]);
    expect(merged.getAll()).toEqual([requests, jobs]);
    expect(merged.get('jobs_total')).toBe(jobs);
    const text = await merged.metrics();
    expect(text).toContain('http_requests_total{service="api"} 3\n');
    expect(text).toContain('jobs_total{service="worker"} 2\n');
    jobs.inc();
    expect(await merged.metrics()).toContain('jobs_total{service="worker"} 3\n');
    expect(merged.snapshot().metrics.map((metric) => metric.series[0]?.labels)).toEqual([
      { service: 'api' },
      { service: 'worker' },
    ]);
  });

  it('throws METRIC_CONFLICT when two registries hold one name', () => {
    const a = new Registry();
    const b = new Registry();
    a.counter({ name: 'jobs_total', help: 'Jobs.' });
    b.counter({ name: 'jobs_total', help: 'Jobs.' });
    const error = caught(() => Registry.merge([a, b]));
    expect(error).toBeInstanceOf(MetricConflictError);
    expect(error).toMatchObject({ code: 'METRIC_CONFLICT' });
    expect((error as Error).message).toContain("'jobs_total'");
  });

  it('of no registries is an empty registry', async () => {
    expect(await Registry.merge([]).metrics()).toBe('');
  });
});

describe('events', () => {
  it('emits invalid and overflow with plain payloads, and warns once per failing collect', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const registry = new Registry();
    const invalid: InvalidObservationEvent[] = [];
    const overflow: OverflowEvent[] = [];
    registry.on('invalid', (event) => invalid.push(event));
    registry.on('overflow', (event) => overflow.push(event));
    try {
      const counter = registry.counter({
        name: 'jobs_total',
        help: 'Jobs.',
        labelNames: ['queue'],
        maxSeries: 1,
      });
      counter.inc({ queue: 'a' }, -1);
      counter.inc({ queue: 'a' });
      counter.inc({ queue: 'b' });
      registry.gauge({
        name: 'broken',
        help: 'Broken.',
        collect: () => {
          throw new Error('x');
        },
      });
      await registry.collect();
      await registry.collect();
      const background = warn.mock.calls.filter(
        ([, options]) => (options as { code?: string }).code === 'VIGIL_BACKGROUND_ERROR',
      );
      expect(background).toHaveLength(1);
      expect(background[0]?.[0]).toContain('collect broken');
      expect(background[0]?.[1]).toEqual({ type: 'VigilWarning', code: 'VIGIL_BACKGROUND_ERROR' });
    } finally {
      warn.mockRestore();
    }
    expect(invalid).toEqual([
      {
        metric: 'jobs_total',
        code: 'INVALID_VALUE',
        reason: 'negative_value',
        message: expect.stringContaining('jobs_total'),
      },
    ]);
    expect(overflow).toEqual([{ metric: 'jobs_total', limit: 1 }]);
  });
});

describe('a listener that throws', () => {
  it('never throws into the recording path; it goes to onError', () => {
    const failures: Array<{ error: unknown; operation: string }> = [];
    const registry = new Registry({
      onError: (error, { operation }) => failures.push({ error, operation }),
    });
    const bug = new Error('listener bug');
    registry.on('invalid', () => {
      throw bug;
    });
    registry.on('overflow', () => {
      throw bug;
    });
    const counter = registry.counter({
      name: 'c_total',
      help: 'C.',
      labelNames: ['k'],
      maxSeries: 1,
    });
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(() => counter.inc({ k: 'a' }, -1)).not.toThrow();
      counter.inc({ k: 'a' });
      expect(() => counter.inc({ k: 'b' })).not.toThrow();
    } finally {
      warn.mockRestore();
    }
    expect(failures).toEqual([
      { error: bug, operation: 'invalid listener' },
      { error: bug, operation: 'overflow listener' },
    ]);
  });
});
