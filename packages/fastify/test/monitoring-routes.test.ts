import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { checks, HealthMonitor } from '@vigil/health';
import type { RouteProvider } from '@vigil/http';
import { afterEach, describe, expect, it } from 'vitest';
import { requestCount, samplesNamed } from './support/samples.js';
import { closeApps, serve } from './support/serve.js';

const TOKEN = 'test-token-0123456789abcdef';
const monitors: HealthMonitor[] = [];

afterEach(async () => {
  await closeApps();
  await Promise.all(monitors.splice(0).map((monitor) => monitor.close()));
});

function healthMonitor(): HealthMonitor {
  const monitor = new HealthMonitor({
    checks: [
      checks.custom('db', () => ({ status: 'pass', observedValue: 3, observedUnit: 'ms' })),
      checks.custom('cache', () => ({ status: 'warn', output: 'slow' }), { critical: false }),
    ],
    cacheFor: 0,
  });
  monitors.push(monitor);
  return monitor;
}

/** A request without `Accept-Encoding`, so that the body is read as sent (fetch asks for gzip). */
function plainGet(url: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      const req = httpRequest(url, { headers, method }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('monitoring routes: /metrics', () => {
  it('serves Prometheus text, OpenMetrics for ?format=openmetrics, and gzip when asked', async () => {
    const { url, registry } = await serve();
    registry.counter({ name: 'jobs_total', help: 'Jobs run.' }).inc(3);
    const text = await plainGet(`${url}/metrics`);
    expect(text.status).toBe(200);
    expect(text.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text.headers['cache-control']).toBe('no-store');
    expect(text.body.toString()).toContain('jobs_total 3');
    // Prometheus 2.x asks for OpenMetrics first; it still gets the text format by default.
    const asked = await plainGet(`${url}/metrics`, { accept: 'application/openmetrics-text' });
    expect(asked.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(asked.body.toString()).not.toContain('# EOF');
    const open = await plainGet(`${url}/metrics?format=openmetrics`);
    expect(String(open.headers['content-type'])).toMatch(/^application\/openmetrics-text/);
    expect(open.body.toString()).toMatch(/# EOF\n$/);
    const gzipped = await plainGet(`${url}/metrics`, { 'accept-encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString()).toContain('jobs_total 3');
    // fetch() asks for gzip and decompresses: the usual client path works end to end.
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('jobs_total 3');
  });

  it('answers HEAD with the headers and the length of the GET body', async () => {
    const { url, registry } = await serve();
    registry.counter({ name: 'jobs_total', help: 'Jobs run.' }).inc(3);
    const get = await plainGet(`${url}/metrics`);
    const head = await plainGet(`${url}/metrics`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(Number(head.headers['content-length'])).toBe(get.body.length);
    expect(head.body.length).toBe(0);
  });

  it('answers a bad ?format= with a 400 JSON error body, never a stack', async () => {
    const { url } = await serve();
    const response = await fetch(`${url}/metrics?format=xml`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'HTTP_BAD_REQUEST' });
  });

  it('does not count scrapes and probes as traffic', async () => {
    const { url } = await serve({ health: healthMonitor() }, (app) => {
      app.get('/', async () => 'home');
    });
    await fetch(`${url}/`);
    for (const path of ['/metrics', '/health', '/health/live', '/health/ready', '/metrics']) {
      await fetch(`${url}${path}`);
    }
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(samplesNamed(text, 'http_server_request_duration_seconds_count')).toEqual([
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/",http_response_status_code="200",error_type=""} 1',
    ]);
    expect(text).toContain('http_server_active_requests{http_request_method="GET"} 0');
  });

  it('mounts under prefix, and the app keeps its own routes beside it', async () => {
    const { url } = await serve({ prefix: '/_vigil', health: healthMonitor() }, (app) => {
      app.get('/metrics', async () => 'the app');
      app.get('/health', async () => ({ app: 'ok' }));
    });
    expect(await (await fetch(`${url}/metrics`)).text()).toBe('the app');
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ app: 'ok' });
    expect((await fetch(`${url}/_vigil/metrics`)).headers.get('content-type')).toMatch(
      /^text\/plain; version=0\.0\.4/,
    );
    expect((await fetch(`${url}/_vigil/health/live`)).status).toBe(200);
  });

  it('runs through Fastify: the app’s onSend hooks apply to the monitoring answers', async () => {
    const { url } = await serve({}, (app) => {
      app.addHook('onSend', async (_request, reply, payload) => {
        reply.header('x-frame-options', 'DENY');
        return payload;
      });
    });
    expect((await fetch(`${url}/metrics`)).headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('monitoring routes: /health', () => {
  it('serves the report as application/health+json, quick mode and the probes', async () => {
    const health = healthMonitor();
    const { url } = await serve({ health });
    const full = await fetch(`${url}/health`);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toMatch(/^application\/health\+json/);
    const body = (await full.json()) as { status: string; checks: Record<string, unknown> };
    expect(body.status).toBe('warn');
    expect(Object.keys(body.checks)).toEqual(expect.arrayContaining(['db', 'cache']));
    expect((await fetch(`${url}/health?quick=true`)).status).toBe(200);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    expect((await fetch(`${url}/health/started`)).status).toBe(200);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    health.beginShutdown();
    const draining = await fetch(`${url}/health/ready`);
    expect(draining.status).toBe(503);
    expect(await draining.json()).toMatchObject({ status: 'fail' });
  });

  it('registers no health route without a health monitor, so the app may have its own', async () => {
    const { url, registry } = await serve({}, (app) => {
      app.get('/health', async () => ({ mine: true }));
    });
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ mine: true });
    expect((await fetch(`${url}/health/live`)).status).toBe(404);
    const text = await registry.metrics();
    expect(requestCount(text, { route: '/health', status: '200' })).toBe(1);
    expect(requestCount(text, { route: '', status: '404' })).toBe(1);
  });
});

describe('monitoring routes: token protection', () => {
  it('with protectReadEndpoints, answers 401 without the bearer token and 200 with it', async () => {
    const { url } = await serve({
      health: healthMonitor(),
      token: TOKEN,
      protectReadEndpoints: true,
    });
    const missing = await fetch(`${url}/metrics`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="vigil"');
    expect(await missing.json()).toMatchObject({ code: 'HTTP_UNAUTHORIZED' });
    const wrong = await fetch(`${url}/health`, {
      headers: { authorization: 'Bearer wrong-token-0123456789abcdef' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const ok = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(
      (await fetch(`${url}/health/ready`, { headers: { authorization: `Bearer ${TOKEN}` } }))
        .status,
    ).toBe(200);
  });

  it('leaves the read endpoints open with a token but without protectReadEndpoints', async () => {
    const { url } = await serve({ token: TOKEN });
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
  });
});

describe('monitoring routes: route providers', () => {
  const replayed: unknown[] = [];
  const jobs: RouteProvider = {
    name: '@vigil/jobs',
    routes: [
      { method: 'GET', path: '/jobs/dead-letters', handler: () => ({ body: { letters: [] } }) },
      {
        method: 'POST',
        path: '/jobs/dead-letters/:id/replay',
        handler: async (request) => {
          replayed.push(request.params.id, await request.json());
          return { status: 202, body: { replayed: request.params.id } };
        },
      },
    ],
  };

  it("registers a provider's routes from router.routes() and serves them, token and body included", async () => {
    replayed.length = 0;
    const { app, url, registry } = await serve({ prefix: '/_vigil', token: TOKEN, routes: [jobs] });
    expect(app.hasRoute({ method: 'GET', url: '/_vigil/jobs/dead-letters' })).toBe(true);
    expect(app.hasRoute({ method: 'HEAD', url: '/_vigil/jobs/dead-letters' })).toBe(true);
    expect(app.hasRoute({ method: 'POST', url: '/_vigil/jobs/dead-letters/:id/replay' })).toBe(
      true,
    );

    const list = await fetch(`${url}/_vigil/jobs/dead-letters`);
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ letters: [] });
    const refused = await fetch(`${url}/_vigil/jobs/dead-letters/a%20b/replay`, {
      method: 'POST',
    });
    expect(refused.status).toBe(401);
    const replay = await fetch(`${url}/_vigil/jobs/dead-letters/a%20b/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ force: true }),
    });
    expect(replay.status).toBe(202);
    expect(await replay.json()).toEqual({ replayed: 'a b' });
    expect(replayed).toEqual(['a b', { force: true }]);
    // The router, not Fastify's JSON parser, reads the body: a broken one is HTTP_INVALID_JSON.
    const broken = await fetch(`${url}/_vigil/jobs/dead-letters/1/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: '{',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ code: 'HTTP_INVALID_JSON' });
    // Admin calls are not traffic.
    expect(await registry.metrics()).not.toContain('/_vigil/jobs');
  });

  it('leaves the app its own body parsers', async () => {
    const { url } = await serve({ routes: [jobs] }, (app) => {
      app.post('/echo', async (request) => request.body);
    });
    const echo = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await echo.json()).toEqual({ a: 1 });
  });
});
