import { caught } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import {
  type Counter,
  type Gauge,
  type Histogram,
  InvalidObservationError,
  type InvalidObservationEvent,
  type InvalidReason,
  Registry,
  type Summary,
  VigilError,
} from '../src/index.js';

let warn: MockInstance<typeof process.emitWarning>;

beforeEach(() => {
  warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});

afterEach(() => {
  warn.mockRestore();
});

interface Fixture {
  registry: Registry;
  requests: Counter<'method' | 'status'>;
  jobs: Counter<never>;
  latency: Histogram<'route'>;
  queries: Summary<never>;
  depth: Gauge<never>;
  events: InvalidObservationEvent[];
  /** Every series' value, to check that nothing was recorded. */
  state(): unknown;
}

function fixture(onInvalid: 'drop' | 'throw'): Fixture {
  const registry = new Registry({ onInvalid });
  const requests = registry.counter({
    name: 'http_requests_total',
    help: 'Requests.',
    labelNames: ['method', 'status'],
  });
  const jobs = registry.counter({ name: 'jobs_total', help: 'Jobs.' });
  const latency = registry.histogram({
    name: 'request_duration_seconds',
    help: 'Latency.',
    labelNames: ['route'],
  });
  const queries = registry.summary({ name: 'query_seconds', help: 'Queries.' });
  const depth = registry.gauge({ name: 'queue_depth', help: 'Depth.' });
  requests.inc({ method: 'GET', status: '200' });
  latency.observe({ route: '/' }, 0.1);
  const events: InvalidObservationEvent[] = [];
  registry.on('invalid', (event) => events.push(event));
  return {
    registry,
    requests,
    jobs,
    latency,
    queries,
    depth,
    events,
    state: () => ({
      requests: requests.get({ method: 'GET', status: '200' }),
      jobs: jobs.get(),
      latency: latency.get({ route: '/' }),
      queries: queries.sketch()?.count,
      depth: depth.get(),
      series: registry
        .snapshot()
        .metrics.filter((metric) => !metric.name.startsWith('vigil_'))
        .map((metric) => metric.series.length),
    }),
  };
}

type Case = [
  description: string,
  record: (f: Fixture) => void,
  code: 'INVALID_VALUE' | 'LABELS_MISMATCH',
  reason: InvalidReason,
  metric: string,
  mention: string,
];

const CASES: Case[] = [
  [
    'counter inc(-1)',
    (f) => f.jobs.inc(-1),
    'INVALID_VALUE',
    'negative_value',
    'jobs_total',
    'gauge',
  ],
  [
    'counter inc(NaN)',
    (f) => f.jobs.inc(Number.NaN),
    'INVALID_VALUE',
    'not_a_number',
    'jobs_total',
    'NaN',
  ],
  [
    'counter inc(Infinity)',
    (f) => f.jobs.inc(Number.POSITIVE_INFINITY),
    'INVALID_VALUE',
    'not_finite',
    'jobs_total',
    'Infinity',
  ],
  [
    "counter inc('1')",
    (f) => f.jobs.inc('1' as never),
    'INVALID_VALUE',
    'not_a_number',
    'jobs_total',
    '1',
  ],
  [
    'labelled counter inc(labels, -1)',
    (f) => f.requests.inc({ method: 'GET', status: '200' }, -1),
    'INVALID_VALUE',
    'negative_value',
    'http_requests_total',
    'finite number',
  ],
  [
    'bound child inc(-1)',
    (f) => f.requests.labels({ method: 'GET', status: '200' }).inc(-1),
    'INVALID_VALUE',
    'negative_value',
    'http_requests_total',
    'finite number',
  ],
  [
    'histogram observe(NaN)',
    (f) => f.latency.observe({ route: '/' }, Number.NaN),
    'INVALID_VALUE',
    'not_a_number',
    'request_duration_seconds',
    'finite number',
  ],
  [
    'histogram observe(Infinity)',
    (f) => f.latency.observe({ route: '/' }, Number.POSITIVE_INFINITY),
    'INVALID_VALUE',
    'not_finite',
    'request_duration_seconds',
    'finite number',
  ],
  [
    'summary observe(NaN)',
    (f) => f.queries.observe(Number.NaN),
    'INVALID_VALUE',
    'not_a_number',
    'query_seconds',
    'finite number',
  ],
  [
    'gauge inc(Infinity)',
    (f) => f.depth.inc(Number.POSITIVE_INFINITY),
    'INVALID_VALUE',
    'not_finite',
    'queue_depth',
    'finite number',
  ],
  [
    "a misspelled label, inc({ stauts: '200' })",
    (f) => f.requests.inc({ method: 'GET', stauts: '200' } as never),
    'LABELS_MISMATCH',
    'labels_mismatch',
    'http_requests_total',
    "expected exactly 'method', 'status'",
  ],
  [
    'a missing label',
    (f) => f.requests.inc({ method: 'GET' } as never),
    'LABELS_MISMATCH',
    'labels_mismatch',
    'http_requests_total',
    "label 'status' is missing; expected exactly 'method', 'status'",
  ],
  [
    'an extra label',
    (f) => f.requests.inc({ method: 'GET', status: '200', route: '/' } as never),
    'LABELS_MISMATCH',
    'labels_mismatch',
    'http_requests_total',
    "'route'; expected exactly 'method', 'status'",
  ],
  [
    'labels on an unlabelled metric',
    (f) => f.jobs.inc({ queue: 'a' } as never),
    'LABELS_MISMATCH',
    'labels_mismatch',
    'jobs_total',
    'this metric has no labels',
  ],
  [
    'no labels on a labelled metric',
    (f) => f.requests.inc(),
    'LABELS_MISMATCH',
    'labels_mismatch',
    'http_requests_total',
    "expected exactly 'method', 'status'",
  ],
  [
    'a boolean label value',
    (f) => f.requests.inc({ method: 'GET', status: true } as never),
    'LABELS_MISMATCH',
    'labels_mismatch',
    'http_requests_total',
    "label 'status' should be a string or a finite number, got true",
  ],
  [
    'an object label value',
    (f) => f.requests.inc({ method: { name: 'GET' }, status: '200' } as never),
    'LABELS_MISMATCH',
    'labels_mismatch',
    'http_requests_total',
    "label 'method' should be a string or a finite number",
  ],
  [
    'a NaN label value',
    (f) => f.requests.inc({ method: 'GET', status: Number.NaN }),
    'LABELS_MISMATCH',
    'labels_mismatch',
    'http_requests_total',
    "label 'status' should be a string or a finite number",
  ],
  [
    'a bad label set bound with labels()',
    (f) => f.requests.labels({ method: 'GET' } as never).inc(),
    'LABELS_MISMATCH',
    'labels_mismatch',
    'http_requests_total',
    "label 'status' is missing",
  ],
];

describe("onInvalid: 'drop' (the default)", () => {
  it('is the default', () => {
    expect(new Registry().onInvalid).toBe('drop');
  });

  it.each(CASES)(
    'drops %s, counts it, emits an invalid event and warns',
    (_, record, code, reason, metric, mention) => {
      const f = fixture('drop');
      const before = f.state();
      expect(() => record(f)).not.toThrow();
      expect(f.state()).toEqual(before);
      const invalidTotal = f.registry.get('vigil_invalid_observations_total') as Counter<
        'metric' | 'reason'
      >;
      expect(invalidTotal).toBeDefined();
      expect(invalidTotal.get({ metric, reason })).toBe(1);
      expect(f.events).toEqual([
        { metric, code, reason, message: expect.stringContaining(mention) },
      ]);
      expect(warn).toHaveBeenCalledTimes(1);
      const [message, options] = warn.mock.calls[0] as [string, { type: string; code: string }];
      expect(message).toContain(mention);
      expect(message).toContain('vigil_invalid_observations_total');
      expect(options).toEqual({ type: 'VigilWarning', code });
    },
  );

  it('warns once per metric and reason, but counts and emits every time', async () => {
    const f = fixture('drop');
    f.jobs.inc(-1);
    f.jobs.inc(-2);
    f.jobs.inc(-3);
    expect(warn).toHaveBeenCalledTimes(1);
    f.jobs.inc(Number.NaN);
    expect(warn).toHaveBeenCalledTimes(2);
    f.requests.inc({ method: 'GET', status: '200' }, -1);
    expect(warn).toHaveBeenCalledTimes(3);
    f.requests.inc({ method: 'GET', status: '200' }, -1);
    f.jobs.inc(Number.NaN);
    expect(warn).toHaveBeenCalledTimes(3);
    expect(f.events).toHaveLength(7);
    const text = await f.registry.metrics();
    expect(text).toContain('# TYPE vigil_invalid_observations_total counter\n');
    expect(text).toContain(
      'vigil_invalid_observations_total{metric="jobs_total",reason="negative_value"} 3\n',
    );
    expect(text).toContain(
      'vigil_invalid_observations_total{metric="jobs_total",reason="not_a_number"} 2\n',
    );
    expect(text).toContain(
      'vigil_invalid_observations_total{metric="http_requests_total",reason="negative_value"} 2\n',
    );
  });

  it('registers vigil_invalid_observations_total only once something was dropped', async () => {
    const f = fixture('drop');
    expect(f.registry.get('vigil_invalid_observations_total')).toBeUndefined();
    expect(await f.registry.metrics()).not.toContain('vigil_invalid_observations_total');
  });

  it('rejects a NaN label value even when a series labelled "NaN" exists', () => {
    const f = fixture('drop');
    f.requests.inc({ method: 'GET', status: 'NaN' });
    f.requests.inc({ method: 'GET', status: Number.NaN });
    expect(f.requests.get({ method: 'GET', status: 'NaN' })).toBe(1);
    expect(f.events).toHaveLength(1);
    expect(f.events[0]).toMatchObject({ code: 'LABELS_MISMATCH' });
  });

  it('rejects an Infinity label value even when a series labelled "Infinity" exists', () => {
    const f = fixture('drop');
    f.requests.inc({ method: 'GET', status: 'Infinity' });
    f.requests.inc({ method: 'GET', status: Number.POSITIVE_INFINITY });
    expect(f.requests.get({ method: 'GET', status: 'Infinity' })).toBe(1);
    expect(f.events).toHaveLength(1);
  });
});

describe("onInvalid: 'throw'", () => {
  it.each(CASES)(
    'throws InvalidObservationError for %s',
    (_, record, code, _reason, metric, mention) => {
      const f = fixture('throw');
      const before = f.state();
      const error = caught(() => record(f));
      expect(error).toBeInstanceOf(InvalidObservationError);
      expect(error).toBeInstanceOf(VigilError);
      expect(error).toMatchObject({ code, metric });
      expect((error as Error).message).toContain(mention);
      expect(f.state()).toEqual(before);
      expect(f.events).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
      expect(f.registry.get('vigil_invalid_observations_total')).toBeUndefined();
    },
  );

  it('says what would be right: a negative counter increment points to a gauge', () => {
    const f = fixture('throw');
    expect((caught(() => f.jobs.inc(-1)) as Error).message).toBe(
      'jobs_total: a counter increment should be a finite number ≥ 0, got -1; use a gauge for values that go down',
    );
  });
});
