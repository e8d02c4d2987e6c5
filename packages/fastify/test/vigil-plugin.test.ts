import { Registry } from '@vigil/core';
import { createTimers } from '@vigil/timers';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { VigilFastifyError, vigil } from '../src/index.js';
import { activeRequests, requestCount, samplesNamed } from './support/samples.js';
import { closeApps, serve } from './support/serve.js';

afterEach(closeApps);

describe('vigil plugin: route templates', () => {
  it('labels requests with the route template, never the path', async () => {
    const { url, registry } = await serve({}, (app) => {
      app.get('/users/:id', async (request) => ({ id: (request.params as { id: string }).id }));
      app.get('/files/*', async () => 'file');
    });
    for (const id of ['1', '2', '42']) expect((await fetch(`${url}/users/${id}`)).status).toBe(200);
    await fetch(`${url}/files/a/b/c.txt`);
    const text = await registry.metrics();
    expect(requestCount(text, { route: '/users/:id', status: '200' })).toBe(3);
    expect(requestCount(text, { route: '/files/*', status: '200' })).toBe(1);
    expect(text).not.toContain('/users/42');
    expect(text).not.toContain('c.txt');
  });

  it('includes the prefix of register(…, { prefix }) contexts, nested ones too', async () => {
    const { url, registry } = await serve({}, async (app) => {
      await app.register(
        async (api) => {
          api.get('/orders/:id', async () => 'order');
          await api.register(
            async (v2) => {
              v2.post('/orders/:id/items', async () => 'item');
            },
            { prefix: '/v2' },
          );
        },
        { prefix: '/api' },
      );
    });
    await fetch(`${url}/api/orders/7`);
    await fetch(`${url}/api/v2/orders/7/items`, { method: 'POST' });
    const text = await registry.metrics();
    expect(requestCount(text, { route: '/api/orders/:id', status: '200' })).toBe(1);
    expect(
      requestCount(text, { method: 'POST', route: '/api/v2/orders/:id/items', status: '200' }),
    ).toBe(1);
  });

  it('registered once at the root, sees the routes of encapsulated child contexts', async () => {
    const { url, registry } = await serve({}, async (app) => {
      // An encapsulated plugin with its own hooks and decorators: the root's hooks still run.
      await app.register(async (child) => {
        child.decorateRequest('tenant', null);
        child.addHook('onRequest', async (request) => {
          (request as unknown as { tenant: string }).tenant = 'acme';
        });
        child.get('/tenant', async (request) => (request as unknown as { tenant: string }).tenant);
      });
    });
    expect(await (await fetch(`${url}/tenant`)).text()).toBe('acme');
    expect(requestCount(await registry.metrics(), { route: '/tenant', status: '200' })).toBe(1);
  });

  it('sees routes and contexts registered before it, also ones with their own decorators', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const timers = createTimers(registry);
    const app = Fastify({ forceCloseConnections: true });
    app.get('/early', async () => 'early');
    await app.register(async (child) => {
      child.decorateRequest('tenant', null); // copies the request decorations there are now
      child.get('/early-child', async () => {
        using _db = timers.db('select', 'tenants');
        return 'child';
      });
    });
    await app.register(vigil, { registry, serverTiming: true });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      await fetch(`${url}/early`);
      const child = await fetch(`${url}/early-child`);
      expect(child.headers.get('server-timing')).toMatch(/^db;dur=[\d.]+$/);
      const text = await registry.metrics();
      expect(requestCount(text, { route: '/early', status: '200' })).toBe(1);
      expect(requestCount(text, { route: '/early-child', status: '200' })).toBe(1);
      expect(activeRequests(text)).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('records the method, with made-up or extension methods as _OTHER', async () => {
    const { url, registry } = await serve({}, (app) => {
      app.addHttpMethod('PROPFIND', { hasBody: true });
      app.route({
        method: ['GET', 'DELETE', 'PROPFIND'],
        url: '/things/:id',
        handler: async () => 'ok',
      });
    });
    await fetch(`${url}/things/1`, { method: 'DELETE' });
    await fetch(`${url}/things/1`, { method: 'PROPFIND' });
    const text = await registry.metrics();
    expect(requestCount(text, { method: 'DELETE', route: '/things/:id', status: '200' })).toBe(1);
    expect(requestCount(text, { method: '_OTHER', route: '/things/:id', status: '200' })).toBe(1);
  });
});

describe('vigil plugin: requests that match no route', () => {
  it('keeps a scan of 200 random URLs in one series, with the unmatched route label', async () => {
    const { url, registry } = await serve({}, (app) => {
      app.get('/', async () => 'home');
    });
    const paths = Array.from(
      { length: 200 },
      (_, i) => `/${i.toString(36)}-${Math.random().toString(36).slice(2)}/wp-admin.php?x=${i}`,
    );
    for (let i = 0; i < paths.length; i += 20) {
      const batch = paths.slice(i, i + 20).map((path) => fetch(`${url}${path}`));
      for (const response of await Promise.all(batch)) expect(response.status).toBe(404);
    }
    const text = await registry.metrics();
    expect(samplesNamed(text, 'http_server_request_duration_seconds_count')).toEqual([
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="",http_response_status_code="404",error_type=""} 200',
    ]);
    expect(text).not.toContain('wp-admin');
  });

  it('uses unmatchedRoute, also for a 404 handler set in a child context', async () => {
    const { url, registry } = await serve({ unmatchedRoute: 'unmatched' }, async (app) => {
      await app.register(
        async (api) => {
          api.setNotFoundHandler(async (_request, reply) => reply.code(404).send({ api: true }));
        },
        { prefix: '/api' },
      );
    });
    expect(await (await fetch(`${url}/api/nope`)).json()).toEqual({ api: true });
    await fetch(`${url}/nope`);
    const text = await registry.metrics();
    expect(requestCount(text, { route: 'unmatched', status: '404' })).toBe(2);
  });

  it('records 404s of a method the route does not take as unmatched', async () => {
    const { url, registry } = await serve({}, (app) => {
      app.get('/only-get', async () => 'ok');
    });
    expect((await fetch(`${url}/only-get`, { method: 'PUT' })).status).toBe(404);
    const text = await registry.metrics();
    expect(requestCount(text, { method: 'PUT', route: '', status: '404' })).toBe(1);
  });
});

describe('vigil plugin: options', () => {
  it('leaves excludePaths out of the metrics', async () => {
    const { url, registry } = await serve({ excludePaths: ['/static', /\.map$/] }, (app) => {
      app.get('/static/*', async () => 'asset');
      app.get('/app.js.map', async () => 'map');
      app.get('/page', async () => 'page');
    });
    await fetch(`${url}/static/app.css`);
    await fetch(`${url}/app.js.map`);
    await fetch(`${url}/page`);
    const text = await registry.metrics();
    expect(samplesNamed(text, 'http_server_request_duration_seconds_count')).toEqual([
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/page",http_response_status_code="200",error_type=""} 1',
    ]);
  });

  it('records body sizes from Content-Length with bodySizes: true', async () => {
    const { url, registry } = await serve({ bodySizes: true }, (app) => {
      app.post('/echo', async (request) => request.body);
    });
    const body = JSON.stringify({ name: 'x'.repeat(100) });
    await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await registry.metrics();
    const labels =
      'http_request_method="POST",http_route="/echo",http_response_status_code="200",error_type=""';
    expect(text).toContain(`http_server_request_body_size_bytes_sum{${labels}} ${body.length}`);
    expect(text).toContain(`http_server_response_body_size_bytes_sum{${labels}} ${body.length}`);
  });

  it('with endpoints: false, registers no route and measures every request', async () => {
    const { url, registry } = await serve({ endpoints: false }, (app) => {
      app.get('/metrics', async () => 'my own metrics');
    });
    expect(await (await fetch(`${url}/metrics`)).text()).toBe('my own metrics');
    expect(requestCount(await registry.metrics(), { route: '/metrics', status: '200' })).toBe(1);
  });

  it('rejects a second registration on the same instance with FASTIFY_ALREADY_REGISTERED', async () => {
    const registry = new Registry();
    const app = Fastify();
    await app.register(vigil, { registry });
    await expect(
      app.register(async (child) => child.register(vigil, { registry })),
    ).rejects.toMatchObject({ code: 'FASTIFY_ALREADY_REGISTERED' });
    await expect(app.register(vigil, { registry })).rejects.toBeInstanceOf(VigilFastifyError);
    await app.close();
  });
});

describe('vigil plugin: registered in a prefixed context', () => {
  it('measures that context only and mounts the endpoints under its prefix', async () => {
    const registry = new Registry();
    const app = Fastify({ forceCloseConnections: true });
    await app.register(
      async (admin) => {
        await admin.register(vigil, { registry, prefix: '/_vigil' });
        admin.get('/ping', async () => 'pong');
      },
      { prefix: '/admin' },
    );
    app.get('/public', async () => 'public');
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      await fetch(`${base}/admin/ping`);
      await fetch(`${base}/public`);
      const scraped = await fetch(`${base}/admin/_vigil/metrics`);
      expect(scraped.status).toBe(200);
      const text = await scraped.text();
      expect(requestCount(text, { route: '/admin/ping', status: '200' })).toBe(1);
      expect(text).not.toContain('/public');
      expect(text).not.toContain('_vigil');
    } finally {
      await app.close();
    }
  });
});

describe('vigil plugin: onClose', () => {
  it('leaves the registry and a user-owned health monitor usable by the next app', async () => {
    const { HealthMonitor } = await import('@vigil/health');
    const health = new HealthMonitor();
    const registry = new Registry();
    const first = await serve({ registry, health }, (app) => {
      app.get('/a', async () => 'a');
    });
    await fetch(`${first.url}/a`);
    await closeApps();
    expect(health.closed).toBe(false);
    const second = await serve({ registry, health }, (app) => {
      app.get('/a', async () => 'a');
    });
    await fetch(`${second.url}/a`);
    expect((await fetch(`${second.url}/health/live`)).status).toBe(200);
    const text = await registry.metrics();
    expect(requestCount(text, { route: '/a', status: '200' })).toBe(2);
    expect(activeRequests(text)).toBe(0);
    await health.close();
  });
});
