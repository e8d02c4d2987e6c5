import { randomBytes } from 'node:crypto';
import { Registry, VigilError } from '@vigil/core';
import { caught } from '@vigil/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HTTP_DURATION_BUCKETS, HttpMetrics, type HttpMetricsOptions } from '../src/index.js';
import { listen } from './support/listen.js';
import { samplesOf } from './support/samples.js';

const COUNT = 'http_server_request_duration_seconds_count';

function setup(options: Partial<HttpMetricsOptions> = {}) {
  const registry = new Registry({ onInvalid: 'throw' });
  const metrics = new HttpMetrics({ registry, ...options });
  return { registry, metrics };
}

/** The `_count` samples as `method route status error_type → count`. */
async function counts(registry: Registry): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const sample of samplesOf(await registry.metrics(), COUNT)) {
    const l = sample.labels;
    const key = `${l.http_request_method} ${l.http_route} ${l.http_response_status_code} ${l.error_type}`;
    result[key] = sample.value;
  }
  return result;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('HttpMetrics', () => {
  it('records the duration between start and end under method, route and status', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const { registry, metrics } = setup();
    const timing = metrics.start('GET');
    vi.advanceTimersByTime(120);
    expect(metrics.end(timing, '/users/:id', 200)).toBeCloseTo(0.12, 6);
    const labels = {
      http_request_method: 'GET',
      http_route: '/users/:id',
      http_response_status_code: '200',
      error_type: '',
    };
    const recorded = metrics.duration.get(labels);
    expect(recorded?.count).toBe(1);
    expect(recorded?.sum).toBeCloseTo(0.12, 6);
    expect(await counts(registry)).toEqual({ 'GET /users/:id 200 ': 1 });
  });

  it('uses the OpenTelemetry duration buckets, 5 ms to 10 s, with unit seconds', async () => {
    const { registry, metrics } = setup();
    metrics.end(metrics.start('GET'), '/', 200);
    const text = await registry.metrics({ format: 'openmetrics' });
    const bounds = samplesOf(
      text,
      'http_server_request_duration_seconds_bucket',
      'openmetrics',
    ).map((sample) => sample.labels.le);
    expect(bounds).toEqual(
      [...HTTP_DURATION_BUCKETS.map((b) => b.toString()), '+Inf'].map((le) =>
        le.includes('.') || le === '+Inf' ? le : `${le}.0`,
      ),
    );
    expect(text).toContain('# UNIT http_server_request_duration_seconds seconds');
  });

  it('counts active requests by method while they run', () => {
    const { metrics } = setup();
    const a = metrics.start('GET');
    const b = metrics.start('GET');
    const c = metrics.start('POST');
    expect(metrics.active.get({ http_request_method: 'GET' })).toBe(2);
    expect(metrics.active.get({ http_request_method: 'POST' })).toBe(1);
    metrics.end(a, '/', 200);
    metrics.end(c, '/', 201);
    expect(metrics.active.get({ http_request_method: 'GET' })).toBe(1);
    expect(metrics.active.get({ http_request_method: 'POST' })).toBe(0);
    metrics.end(b, '/', 200);
    expect(metrics.active.get({ http_request_method: 'GET' })).toBe(0);
  });

  it('records a request once when end() is called twice (finish and close)', async () => {
    const { registry, metrics } = setup();
    const timing = metrics.start('GET');
    expect(metrics.end(timing, '/', 200)).toBeGreaterThanOrEqual(0);
    expect(timing?.ended).toBe(true);
    expect(metrics.end(timing, '/', 200)).toBe(-1);
    expect(metrics.active.get({ http_request_method: 'GET' })).toBe(0);
    expect(await counts(registry)).toEqual({ 'GET / 200 ': 1 });
  });

  it('records unknown and lower-case methods as _OTHER', async () => {
    const { registry, metrics } = setup();
    for (const method of ['BREW', 'get', 'PROPFIND', 'GET']) {
      const timing = metrics.start(method);
      expect(timing?.method).toBe(method === 'GET' ? 'GET' : '_OTHER');
      metrics.end(timing, '/', 200);
    }
    expect(await counts(registry)).toEqual({ '_OTHER / 200 ': 3, 'GET / 200 ': 1 });
    expect(metrics.active.get({ http_request_method: '_OTHER' })).toBe(0);
  });

  it('records the methods given as knownMethods as themselves', async () => {
    const { registry, metrics } = setup({ knownMethods: ['GET', 'QUERY'] });
    metrics.end(metrics.start('QUERY'), '/search', 200);
    metrics.end(metrics.start('POST'), '/search', 200);
    expect(await counts(registry)).toEqual({ 'QUERY /search 200 ': 1, '_OTHER /search 200 ': 1 });
  });

  it('labels requests that matched no route http_route="" by default', async () => {
    const { registry, metrics } = setup();
    metrics.end(metrics.start('GET'), undefined, 404);
    expect(await registry.metrics()).toContain(
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="",http_response_status_code="404",error_type=""} 1',
    );
  });

  it('labels unmatched requests with unmatchedRoute when configured', async () => {
    const { registry, metrics } = setup({ unmatchedRoute: 'unmatched' });
    metrics.end(metrics.start('GET'), undefined, 404);
    expect(await counts(registry)).toEqual({ 'GET unmatched 404 ': 1 });
  });

  it('sets error_type to the status code for 5xx and to the given error type otherwise', async () => {
    const { registry, metrics } = setup();
    metrics.end(metrics.start('GET'), '/a', 503);
    metrics.end(metrics.start('GET'), '/a', 404);
    metrics.end(metrics.start('GET'), '/a', 500, 'TimeoutError');
    metrics.end(metrics.start('GET'), '/a', undefined, 'ECONNRESET');
    metrics.end(metrics.start('GET'), '/a', 200, '');
    expect(await counts(registry)).toEqual({
      'GET /a 503 503': 1,
      'GET /a 404 ': 1,
      'GET /a 500 TimeoutError': 1,
      'GET /a  ECONNRESET': 1,
      'GET /a 200 ': 1,
    });
  });

  it('records error types past 100 distinct values as _OTHER', async () => {
    const { registry, metrics } = setup();
    for (let i = 0; i < 120; i++) metrics.end(metrics.start('GET'), '/', 500, `E${i}`);
    const result = await counts(registry);
    expect(Object.keys(result)).toHaveLength(101);
    expect(result['GET / 500 _OTHER']).toBe(20);
  });

  it('records routes past maxRoutes as _OTHER and does not cache them', async () => {
    const { registry, metrics } = setup({ maxRoutes: 2 });
    for (const route of ['/a', '/b', '/c', '/d', '/a', '/c']) {
      metrics.end(metrics.start('GET'), route, 200);
    }
    expect(await counts(registry)).toEqual({
      'GET /a 200 ': 2,
      'GET /b 200 ': 1,
      'GET _OTHER 200 ': 3,
    });
  });

  it('keeps the route template given, never the path', async () => {
    const { registry, metrics } = setup();
    for (let id = 0; id < 50; id++) metrics.end(metrics.start('GET'), '/users/:id', 200);
    expect(await counts(registry)).toEqual({ 'GET /users/:id 200 ': 50 });
  });

  it('skips excluded paths: start() answers undefined and end(undefined) records nothing', async () => {
    const { registry, metrics } = setup({ excludePaths: ['/static', /^\/_next\//] });
    expect(metrics.start('GET', '/static')).toBeUndefined();
    expect(metrics.start('GET', '/static/app.js?v=3')).toBeUndefined();
    expect(metrics.start('GET', '/_next/chunk.js')).toBeUndefined();
    expect(metrics.end(undefined, '/static', 200)).toBe(-1);
    expect(metrics.excludes('/statics')).toBe(false);
    metrics.end(metrics.start('GET', '/statics'), '/statics', 200);
    expect(await counts(registry)).toEqual({ 'GET /statics 200 ': 1 });
    expect(metrics.active.get({ http_request_method: 'GET' })).toBe(0);
  });

  it('records body sizes only when bodySizes is on', async () => {
    const off = setup();
    expect(off.registry.get('http_server_request_body_size_bytes')).toBeUndefined();
    const { registry, metrics } = setup({ bodySizes: true });
    metrics.end(metrics.start('POST'), '/upload', 201, undefined, 5000, 12);
    metrics.end(metrics.start('POST'), '/upload', 201);
    const text = await registry.metrics();
    const labels =
      '{http_request_method="POST",http_route="/upload",http_response_status_code="201",error_type=""}';
    expect(text).toContain(`http_server_request_body_size_bytes_sum${labels} 5000`);
    expect(text).toContain(`http_server_request_body_size_bytes_count${labels} 1`);
    expect(text).toContain(`http_server_response_body_size_bytes_sum${labels} 12`);
    expect(text).toContain(`http_server_request_duration_seconds_count${labels} 2`);
  });

  it('shares the metrics of two instances on one registry', async () => {
    const registry = new Registry();
    const a = new HttpMetrics({ registry });
    const b = new HttpMetrics({ registry });
    a.end(a.start('GET'), '/', 200);
    b.end(b.start('GET'), '/', 200);
    expect(await counts(registry)).toEqual({ 'GET / 200 ': 2 });
  });

  it('keeps recording after the registry was reset', async () => {
    const { registry, metrics } = setup();
    metrics.end(metrics.start('GET'), '/', 200);
    registry.resetAll();
    metrics.end(metrics.start('GET'), '/', 200);
    expect(await counts(registry)).toEqual({ 'GET / 200 ': 1 });
  });

  it('takes undefined for every optional option (the defaults apply)', async () => {
    const registry = new Registry();
    const metrics = new HttpMetrics({
      registry,
      buckets: undefined,
      unmatchedRoute: undefined,
      excludePaths: undefined,
      bodySizes: undefined,
      bodySizeBuckets: undefined,
      maxRoutes: undefined,
      knownMethods: undefined,
      maxSeries: undefined,
    });
    metrics.end(metrics.start('GET', '/x'), undefined, 404);
    expect(await counts(registry)).toEqual({ 'GET  404 ': 1 });
  });

  it('rejects bad options at construction with INVALID_OPTION naming the field', () => {
    const registry = new Registry();
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ registry, buckts: [1] }, /unknown option 'buckts'/],
      [{ registry: {} }, /registry should be a Registry/],
      [{ registry, unmatchedRoute: 3 }, /unmatchedRoute should be a string/],
      [{ registry, excludePaths: ['static'] }, /excludePaths entries should be paths/],
      [{ registry, excludePaths: [/x/g] }, /should not have the g or y flag/],
      [{ registry, maxRoutes: 0 }, /maxRoutes should be a positive integer, got 0/],
      [{ registry, bodySizes: 'yes' }, /bodySizes should be true or false/],
      [{ registry, knownMethods: ['GET POST'] }, /knownMethods should be an array/],
      [{ registry, buckets: [1, 0.5] }, /strictly increasing/],
    ];
    for (const [options, message] of bad) {
      const error = caught(() => new HttpMetrics(options as unknown as HttpMetricsOptions));
      expect(error).toBeInstanceOf(VigilError);
      expect(error).toMatchObject({ code: 'INVALID_OPTION' });
      expect((error as Error).message).toMatch(message);
    }
  });

  describe('on a real node:http server', () => {
    it('keeps one series for 1,000 random URLs that match no route', async () => {
      const { registry, metrics } = setup();
      const server = await listen((req, res) => {
        const timing = metrics.start(req.method ?? 'GET', req.url);
        const route = req.url === '/users/7' ? '/users/:id' : undefined;
        res.once('close', () => metrics.end(timing, route, res.statusCode));
        res.statusCode = route === undefined ? 404 : 200;
        res.end();
      });
      try {
        const paths = Array.from({ length: 1000 }, () => `/${randomBytes(8).toString('hex')}`);
        for (let i = 0; i < paths.length; i += 50) {
          await Promise.all(
            paths.slice(i, i + 50).map(async (path) => {
              const response = await fetch(server.url + path);
              await response.arrayBuffer();
              expect(response.status).toBe(404);
            }),
          );
        }
        await (await fetch(`${server.url}/users/7`)).arrayBuffer();
      } finally {
        await server.close();
      }
      expect(await counts(registry)).toEqual({ 'GET  404 ': 1000, 'GET /users/:id 200 ': 1 });
      expect(metrics.duration.seriesCount).toBe(2);
      expect(metrics.active.get({ http_request_method: 'GET' })).toBe(0);
    });
  });
});
