import { Registry } from '@vigil/core';
import { checks, HealthMonitor } from '@vigil/health';
import type { RouteProvider } from '@vigil/http';
import { createTimers } from '@vigil/timers';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { vigil } from '../src/index.js';
import { activeRequests, requestSeries } from './support/series.js';
import { closeAll, serve } from './support/serve.js';

afterEach(closeAll);

const TOKEN = 'test-token-0123456789abcdef';
const health = (): HealthMonitor =>
  new HealthMonitor({ checks: [checks.custom('queue', () => true)], cacheFor: 0 });

/** A promise with its resolve function, for waiting on a server-side event. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('vigil() monitoring routes', () => {
  it('serves /metrics, /health, /health/live and /health/ready under the prefix, unrecorded', async () => {
    const registry = new Registry();
    const monitor = health();
    const app = express();
    app.use(vigil({ registry, health: monitor, prefix: '/_vigil' }));
    app.get('/hello', (_req, res) => void res.send('hello'));
    const { url } = await serve(app);
    await (await fetch(`${url}/hello`)).text();

    const text = await fetch(`${url}/_vigil/metrics`);
    expect(text.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await text.text()).toContain(
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/hello",http_response_status_code="200",error_type=""} 1',
    );
    // Prometheus 2.x asks for OpenMetrics first; it still gets the text format by default.
    const asked = await fetch(`${url}/_vigil/metrics`, {
      headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;q=0.5' },
    });
    expect(asked.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await asked.text()).not.toContain('# EOF');
    const openMetrics = await fetch(`${url}/_vigil/metrics?format=openmetrics`);
    expect(openMetrics.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    expect(await openMetrics.text()).toMatch(/# EOF\n$/);

    const full = await fetch(`${url}/_vigil/health`);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toMatch(/^application\/health\+json/);
    expect(await full.json()).toMatchObject({
      status: 'pass',
      checks: { queue: [{ status: 'pass' }] },
    });
    expect((await fetch(`${url}/_vigil/health?quick=true`)).status).toBe(200);
    expect((await fetch(`${url}/_vigil/health/live`)).status).toBe(200);
    expect((await fetch(`${url}/_vigil/health/ready`)).status).toBe(200);
    monitor.beginShutdown();
    const draining = await fetch(`${url}/_vigil/health/ready`);
    expect(draining.status).toBe(503);
    expect(await draining.json()).toMatchObject({ status: 'fail' });

    // Scrapes and probes are not traffic: only /hello was recorded.
    expect(requestSeries(registry)).toEqual([
      { method: 'GET', route: '/hello', status: '200', errorType: '', count: 1 },
    ]);
    await monitor.close();
  });

  it('serves /metrics at the root without a prefix, and leaves other paths to the app', async () => {
    const registry = new Registry();
    const app = express();
    app.use(vigil({ registry }));
    app.get('/metrics-report', (_req, res) => void res.send('app'));
    const { url } = await serve(app);

    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    expect(await (await fetch(`${url}/metrics-report`)).text()).toBe('app');
    expect(requestSeries(registry).map((s) => s.route)).toEqual(['/metrics-report']);
  });

  it('requires the bearer token on every route with protectReadEndpoints', async () => {
    const registry = new Registry();
    const app = express();
    app.use(vigil({ registry, health: health(), token: TOKEN, protectReadEndpoints: true }));
    const { url } = await serve(app);

    const missing = await fetch(`${url}/metrics`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="vigil"');
    expect(await missing.json()).toMatchObject({ code: 'HTTP_UNAUTHORIZED' });
    const wrong = await fetch(`${url}/health`, {
      headers: { authorization: 'Bearer wrong-token-value-xyz' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    await wrong.text();
    const ok = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    await ok.text();
  });

  it('keeps routes that change state off without a token and on behind one', async () => {
    const open = vigil({ registry: new Registry() });
    const guarded = vigil({ registry: new Registry(), token: TOKEN });
    for (const middleware of [open, guarded]) {
      middleware.router.route('POST', '/jobs/:id/replay', (request) => ({
        body: { replayed: request.params.id },
      }));
    }
    const openApp = express().use(open);
    const guardedApp = express().use(guarded);
    const [a, b] = await Promise.all([serve(openApp), serve(guardedApp)]);

    const off = await fetch(`${a.url}/jobs/7/replay`, { method: 'POST' });
    expect(off.status).toBe(403);
    expect(await off.json()).toMatchObject({ code: 'HTTP_WRITES_DISABLED' });
    expect((await fetch(`${b.url}/jobs/7/replay`, { method: 'POST' })).status).toBe(401);
    const on = await fetch(`${b.url}/jobs/7/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(on.status).toBe(200);
    expect(await on.json()).toEqual({ replayed: '7' });
    // The read routes stay open without protectReadEndpoints.
    expect((await fetch(`${b.url}/metrics`)).status).toBe(200);
  });

  it("serves a route provider's routes, given as routes or added with router.use()", async () => {
    const replays: string[] = [];
    const jobs: RouteProvider = {
      name: '@vigil/jobs',
      routes: [
        { method: 'GET', path: '/jobs/dead-letters', handler: () => ({ body: { letters: [] } }) },
        {
          method: 'POST',
          path: '/jobs/dead-letters/:id/replay',
          handler: (request) => {
            replays.push(request.params.id ?? '');
            return { status: 202, body: { replayed: request.params.id } };
          },
        },
      ],
    };
    const cache: RouteProvider = {
      name: '@vigil/cache',
      routes: [{ method: 'GET', path: '/cache/stats', handler: () => ({ body: { hits: 3 } }) }],
    };
    const middleware = vigil({
      registry: new Registry(),
      prefix: '/_vigil',
      token: TOKEN,
      routes: [jobs],
    });
    middleware.router.use(cache);
    const app = express().use(middleware);
    app.get('/hello', (_req, res) => void res.send('hello'));
    const { url } = await serve(app);

    expect(await (await fetch(`${url}/_vigil/jobs/dead-letters`)).json()).toEqual({ letters: [] });
    expect(await (await fetch(`${url}/_vigil/cache/stats`)).json()).toEqual({ hits: 3 });
    const replay = await fetch(`${url}/_vigil/jobs/dead-letters/9/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(replay.status).toBe(202);
    expect(replays).toEqual(['9']);
    expect(
      middleware.router.routes().map(({ method, path, provider }) => [method, path, provider]),
    ).toEqual([
      ['GET', '/_vigil/metrics', 'metrics'],
      ['GET', '/_vigil/jobs/dead-letters', '@vigil/jobs'],
      ['POST', '/_vigil/jobs/dead-letters/:id/replay', '@vigil/jobs'],
      ['GET', '/_vigil/cache/stats', '@vigil/cache'],
    ]);
    expect(await (await fetch(`${url}/hello`)).text()).toBe('hello');
  });
});

describe('vigil() request metrics', () => {
  it('records HEAD under its own method and other methods as _OTHER', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const app = express();
    app.use(vigil({ registry }));
    app.get('/items/:id', (_req, res) => void res.send('item'));
    const { url } = await serve(app);

    expect((await fetch(`${url}/items/1`, { method: 'HEAD' })).status).toBe(200);
    // Node's parser refuses made-up methods (400); WebDAV's are real and not in the known list.
    expect((await fetch(`${url}/items/1`, { method: 'PROPFIND' })).status).toBe(404);
    expect(requestSeries(registry)).toEqual([
      { method: 'HEAD', route: '/items/:id', status: '200', errorType: '', count: 1 },
      { method: '_OTHER', route: '', status: '404', errorType: '', count: 1 },
    ]);
  });

  it('records the route template of a mounted sub-app, and leaves req.route readable', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const app = express();
    app.use(vigil({ registry }));
    const sub = express();
    let seen: unknown;
    sub.get('/items/:id', (req, res) => {
      seen = (req.route as { path?: unknown } | undefined)?.path;
      res.send('item');
    });
    app.use('/v1', sub);
    const { url } = await serve(app);

    expect((await fetch(`${url}/v1/items/7`)).status).toBe(200);
    expect(seen).toBe('/items/:id');
    expect(requestSeries(registry)).toEqual([
      { method: 'GET', route: '/v1/items/:id', status: '200', errorType: '', count: 1 },
    ]);
  });

  it('does not measure excluded paths, and labels unmatched requests with unmatchedRoute', async () => {
    const registry = new Registry();
    const app = express();
    app.use(vigil({ registry, excludePaths: ['/static', /\.map$/], unmatchedRoute: 'unmatched' }));
    app.use('/static', (_req, res) => void res.send('asset'));
    const { url } = await serve(app);

    expect((await fetch(`${url}/static/app.js`)).status).toBe(200);
    expect((await fetch(`${url}/app.js.map`)).status).toBe(404);
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
    expect(requestSeries(registry)).toEqual([
      { method: 'GET', route: 'unmatched', status: '404', errorType: '', count: 1 },
    ]);
  });

  it('records request and response body sizes from Content-Length with bodySizes', async () => {
    const registry = new Registry();
    const app = express();
    app.use(vigil({ registry, bodySizes: true }));
    app.post('/echo', express.json(), (req, res) => void res.json(req.body));
    const { url } = await serve(app);

    const body = JSON.stringify({ message: 'x'.repeat(100) });
    const response = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(await response.text()).toBe(body);

    const sizes = Object.fromEntries(
      registry
        .snapshot()
        .metrics.filter((m) => m.type === 'histogram' && m.name.endsWith('_body_size_bytes'))
        .map((m) => [m.name, m.type === 'histogram' ? m.series[0]?.sum : undefined]),
    );
    expect(sizes).toEqual({
      http_server_request_body_size_bytes: body.length,
      http_server_response_body_size_bytes: body.length,
    });
  });

  it('brings the active requests gauge back to 0 when clients go away', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const app = express();
    app.use(vigil({ registry }));
    const entered = [signal(), signal()];
    const closed = [signal(), signal()];
    app.get('/hang', (_req, res) => {
      res.on('close', closed[0]?.resolve as () => void);
      entered[0]?.resolve(); // never answers
    });
    app.get('/stream', (_req, res) => {
      res.on('close', closed[1]?.resolve as () => void);
      res.write('first chunk'); // headers are out, the end never comes
      entered[1]?.resolve();
    });
    const { url } = await serve(app);

    const hang = new AbortController();
    const hanging = fetch(`${url}/hang`, { signal: hang.signal }).catch((error: unknown) => error);
    await entered[0]?.promise;
    const stream = new AbortController();
    const streaming = await fetch(`${url}/stream`, { signal: stream.signal });
    await entered[1]?.promise;
    expect(activeRequests(registry)).toBe(2);

    hang.abort();
    stream.abort();
    expect(await hanging).toMatchObject({ name: 'AbortError' });
    expect(streaming.status).toBe(200);
    await Promise.all(closed.map((c) => c.promise)); // Vigil's close listener ran before these

    expect(activeRequests(registry)).toBe(0);
    const byRoute = requestSeries(registry).sort((a, b) => a.route.localeCompare(b.route));
    expect(byRoute).toEqual([
      { method: 'GET', route: '/hang', status: '', errorType: 'aborted', count: 1 },
      { method: 'GET', route: '/stream', status: '200', errorType: 'aborted', count: 1 },
    ]);
  });
});

describe('vigil() Server-Timing', () => {
  function timedApp(registry: Registry, serverTiming: boolean) {
    const timers = createTimers(registry);
    const app = express();
    app.use(vigil({ registry, serverTiming }));
    app.get('/users/:id', async (_req, res) => {
      {
        using _db = timers.db('select', 'users');
        await new Promise((resolve) => setImmediate(resolve));
      }
      res.setHeader('Server-Timing', 'cache;desc=miss');
      res.send('user');
    });
    return app;
  }

  it('sets the header from the timers that stopped during the request when enabled', async () => {
    const { url } = await serve(timedApp(new Registry(), true));
    const response = await fetch(`${url}/users/1`);
    expect(response.headers.get('server-timing')).toMatch(/^cache;desc=miss, db;dur=\d+(\.\d+)?$/);
    await response.text();
  });

  it('leaves the response alone by default', async () => {
    const { url } = await serve(timedApp(new Registry(), false));
    const response = await fetch(`${url}/users/1`);
    expect(response.headers.get('server-timing')).toBe('cache;desc=miss');
    await response.text();
  });
});
