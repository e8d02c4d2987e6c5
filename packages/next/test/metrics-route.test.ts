import { gunzipSync } from 'node:zlib';
import { Registry, VigilError } from '@vigil/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { metricsRoute, setRegistry } from '../src/index.js';
import { resetGlobals } from './support/reset.js';

const TOKEN = 'scrape-token-0123456789';

let registry: Registry;

beforeEach(() => {
  registry = resetGlobals();
  registry.counter({ name: 'orders_total', help: 'Orders.' }).inc(3);
});

describe('metricsRoute', () => {
  it('answers the process-wide registry in the Prometheus text format, uncached', async () => {
    const { GET } = metricsRoute();
    const response = await GET(new Request('http://app.test/api/metrics'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toContain('orders_total 3\n');
  });

  it('answers the Prometheus text format by default, even to an Accept that prefers OpenMetrics', async () => {
    const { GET } = metricsRoute();
    const prometheus = await GET(
      new Request('http://app.test/api/metrics', {
        headers: { accept: 'application/openmetrics-text; version=1.0.0;q=0.9, text/plain;q=0.5' },
      }),
    );
    expect(prometheus.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await prometheus.text()).not.toContain('# EOF');
    const byQuery = await GET(new Request('http://app.test/api/metrics?format=openmetrics'));
    expect(byQuery.headers.get('content-type')).toContain('application/openmetrics-text');
    expect(await byQuery.text()).toMatch(/# EOF\n$/);
  });

  it("answers OpenMetrics by the Accept header with openMetrics: 'negotiate'", async () => {
    const { GET } = metricsRoute({ openMetrics: 'negotiate' });
    const byAccept = await GET(
      new Request('http://app.test/api/metrics', {
        headers: { accept: 'application/openmetrics-text; version=1.0.0' },
      }),
    );
    expect(byAccept.headers.get('content-type')).toContain('application/openmetrics-text');
    expect(await byAccept.text()).toMatch(/# EOF\n$/);
    const forced = await GET(
      new Request('http://app.test/api/metrics?format=prometheus', {
        headers: { accept: 'application/openmetrics-text' },
      }),
    );
    expect(await forced.text()).not.toContain('# EOF');
  });

  it('answers from any path under app/ (the request is re-addressed to the router)', async () => {
    const { GET } = metricsRoute();
    const response = await GET(new Request('http://app.test/internal/prometheus/scrape'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('orders_total 3');
  });

  it('leaves compression to Next.js: never gzips, whatever Accept-Encoding says', async () => {
    // Next.js drops a route handler's Content-Encoding and compresses the body itself.
    const { GET } = metricsRoute();
    const response = await GET(
      new Request('http://app.test/api/metrics', { headers: { 'accept-encoding': 'gzip' } }),
    );
    expect(response.headers.has('content-encoding')).toBe(false);
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.toString('utf8')).toContain('orders_total 3');
    expect(() => gunzipSync(body)).toThrow();
  });

  it('answers HEAD with the headers only', async () => {
    const { HEAD } = metricsRoute();
    const response = await HEAD(new Request('http://app.test/api/metrics', { method: 'HEAD' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toBe('');
  });

  it('answers the registry set when the request comes, not when the route was made', async () => {
    const { GET } = metricsRoute();
    const later = setRegistry(new Registry());
    later.counter({ name: 'later_total', help: 'Later.' }).inc();
    const text = await (await GET(new Request('http://app.test/api/metrics'))).text();
    expect(text).toContain('later_total 1');
    expect(text).not.toContain('orders_total');
  });

  it('answers the registry it is given', async () => {
    const own = new Registry();
    own.gauge({ name: 'own_value', help: 'Own.' }).set(7);
    const { GET } = metricsRoute({ registry: own });
    const text = await (await GET(new Request('http://app.test/api/metrics'))).text();
    expect(text).toContain('own_value 7');
    expect(text).not.toContain('orders_total');
  });

  it('requires the bearer token when one is configured', async () => {
    const { GET } = metricsRoute({ token: TOKEN });
    const missing = await GET(new Request('http://app.test/api/metrics'));
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="vigil"');
    expect(await missing.json()).toMatchObject({ code: 'HTTP_UNAUTHORIZED' });
    const wrong = await GET(
      new Request('http://app.test/api/metrics', { headers: { authorization: 'Bearer nope' } }),
    );
    expect(wrong.status).toBe(401);
    const right = await GET(
      new Request('http://app.test/api/metrics', {
        headers: { authorization: `Bearer ${TOKEN}` },
      }),
    );
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('orders_total 3');
  });

  it('answers 400 HTTP_BAD_REQUEST for an unknown format', async () => {
    const { GET } = metricsRoute();
    const response = await GET(new Request('http://app.test/api/metrics?format=xml'));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'HTTP_BAD_REQUEST' });
  });

  it.each([
    ['a short token', { token: 'short' }, 'token'],
    ['an unknown option', { prefix: '/x' }, "unknown option 'prefix'"],
    ['a registry that is not one', { registry: {} }, 'metricsRoute: registry should be a Registry'],
    ['an unknown openMetrics', { openMetrics: 'always' }, 'openMetrics should be one of'],
    ['an onError that is not a function', { onError: 'log' }, 'onError should be a function'],
  ])('throws INVALID_OPTION when made with %s', (_name, options, message) => {
    let thrown: unknown;
    try {
      metricsRoute(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VigilError);
    expect(thrown).toMatchObject({ code: 'INVALID_OPTION' });
    expect((thrown as Error).message).toContain(message);
  });

  it('hands a failure to onError as (error, { source, operation }) and answers 500', async () => {
    const failing = Object.assign(new Registry(), {
      metrics: () => Promise.reject(new Error('render failed')),
    });
    const seen: unknown[] = [];
    const { GET } = metricsRoute({
      registry: failing,
      onError: (error, context) => seen.push((error as Error).message, context),
    });
    const response = await GET(new Request('http://app.test/api/metrics'));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: 'HTTP_INTERNAL_ERROR' });
    expect(seen).toEqual([
      'render failed',
      { source: 'MonitoringRouter', operation: 'GET /metrics' },
    ]);
  });

  it('accepts every optional option passed explicitly as undefined', async () => {
    const { GET } = metricsRoute({
      registry: undefined,
      token: undefined,
      openMetrics: undefined,
      onError: undefined,
    });
    expect((await GET(new Request('http://app.test/api/metrics'))).status).toBe(200);
  });
});
