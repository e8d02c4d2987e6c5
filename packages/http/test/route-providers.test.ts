import { Registry } from '@vigil/core';
import { checks, HealthMonitor } from '@vigil/health';
import { caught } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitoringRouter, HttpError, type RouteProvider } from '../src/index.js';
import { closeServers, serveRouter } from './support/serve-router.js';

const TOKEN = 'a-token-long-enough-0123456789';

/** What an alerts package would hand the router. */
function alertsRoutes(): RouteProvider {
  const acked = new Set<string>();
  return {
    name: '@vigil/alerts',
    routes: [
      { method: 'GET', path: '/alerts', handler: () => ({ body: { acked: [...acked] } }) },
      {
        method: 'POST',
        path: '/alerts/:id/ack',
        handler: (request) => {
          if (request.params.id === 'nope') throw new HttpError('HTTP_NOT_FOUND', 'no alert');
          acked.add(request.params.id ?? '');
          return { status: 202 };
        },
      },
    ],
  };
}

afterEach(closeServers);

describe('route providers', () => {
  it('serves the routes of the routes option under the prefix, with the token rules', async () => {
    const { server } = await serveRouter({
      prefix: '/_vigil',
      token: TOKEN,
      routes: [alertsRoutes()],
    });
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await fetch(`${server.url}/_vigil/alerts/a1/ack`, { method: 'POST' })).status).toBe(
      401,
    );
    const ack = await fetch(`${server.url}/_vigil/alerts/a1/ack`, {
      method: 'POST',
      headers: auth,
    });
    expect(ack.status).toBe(202);
    expect(await (await fetch(`${server.url}/_vigil/alerts`)).json()).toEqual({ acked: ['a1'] });
    const missing = await fetch(`${server.url}/_vigil/alerts/nope/ack`, {
      method: 'POST',
      headers: auth,
    });
    expect(missing.status).toBe(404);
  });

  it('adds a provider with use(), also on the fetch API', async () => {
    const router = createMonitoringRouter({ registry: new Registry() }).use(alertsRoutes());
    const response = await router.fetch(
      new Request('http://app.test/alerts/a1/ack', { method: 'POST' }),
    );
    expect(response?.status).toBe(403);
    expect(await response?.json()).toMatchObject({ code: 'HTTP_WRITES_DISABLED' });
  });

  it('lists every route with routes(): method, full path, token, provider', () => {
    const health = new HealthMonitor({ checks: [checks.custom('ok', () => true)] });
    const router = createMonitoringRouter({
      registry: new Registry(),
      health,
      prefix: '/_vigil',
      routes: [alertsRoutes()],
    });
    router.route('DELETE', '/cache/:name', () => ({}));
    expect(router.routes()).toEqual([
      {
        method: 'GET',
        path: '/_vigil/metrics',
        needsToken: false,
        changesState: false,
        provider: 'metrics',
      },
      {
        method: 'GET',
        path: '/_vigil/health',
        needsToken: false,
        changesState: false,
        provider: 'health',
      },
      {
        method: 'GET',
        path: '/_vigil/health/live',
        needsToken: false,
        changesState: false,
        provider: 'health',
      },
      {
        method: 'GET',
        path: '/_vigil/health/ready',
        needsToken: false,
        changesState: false,
        provider: 'health',
      },
      {
        method: 'GET',
        path: '/_vigil/health/started',
        needsToken: false,
        changesState: false,
        provider: 'health',
      },
      {
        method: 'GET',
        path: '/_vigil/alerts',
        needsToken: false,
        changesState: false,
        provider: '@vigil/alerts',
      },
      {
        method: 'POST',
        path: '/_vigil/alerts/:id/ack',
        needsToken: true,
        changesState: true,
        provider: '@vigil/alerts',
      },
      {
        method: 'DELETE',
        path: '/_vigil/cache/:name',
        needsToken: true,
        changesState: true,
        provider: 'app',
      },
    ]);
    const guarded = createMonitoringRouter({
      registry: new Registry(),
      token: TOKEN,
      protectReadEndpoints: true,
    });
    expect(guarded.routes()).toEqual([
      {
        method: 'GET',
        path: '/metrics',
        needsToken: true,
        changesState: false,
        provider: 'metrics',
      },
    ]);
  });

  it('takes each provider once, and a clashing provider adds none of its routes', () => {
    const router = createMonitoringRouter({ registry: new Registry(), routes: [alertsRoutes()] });
    expect(caught(() => router.use(alertsRoutes()))).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining("a route provider named '@vigil/alerts' is already in use"),
    });
    const clash: RouteProvider = {
      name: 'jobs',
      routes: [
        { method: 'GET', path: '/jobs', handler: () => ({}) },
        { method: 'GET', path: '/metrics', handler: () => ({}) },
      ],
    };
    expect(caught(() => router.use(clash))).toMatchObject({
      message:
        "MonitoringRouter.use 'jobs': GET /metrics is already registered; register each method and path once",
    });
    expect(router.matches('/jobs')).toBe(false);
    expect(router.routes().map((route) => route.provider)).not.toContain('jobs');
  });

  it('rejects bad providers and route definitions with INVALID_OPTION', () => {
    const router = createMonitoringRouter({ registry: new Registry() });
    const handler = () => ({});
    const bad: Array<[unknown, string]> = [
      [undefined, 'MonitoringRouter.use: options should be an object, got undefined'],
      [{ routes: [] }, 'MonitoringRouter.use: name is required'],
      [{ name: 'x', routes: {} }, "MonitoringRouter.use 'x': routes should be an array"],
      [{ name: 'x', routes: [], extra: 1 }, "unknown option 'extra'"],
      [
        { name: 'x', routes: [{ method: 'GET', path: '/a' }] },
        "MonitoringRouter.use 'x': routes[0]: handler is required",
      ],
      [
        { name: 'x', routes: [{ method: 'TRACE', path: '/a', handler }] },
        'method should be one of GET, POST, PUT, PATCH, DELETE, got "TRACE"',
      ],
      [
        { name: 'x', routes: [{ method: 'GET', path: '/a', handler, changesState: 'yes' }] },
        'changesState should be true or false, got "yes"',
      ],
      [
        {
          name: 'x',
          routes: [
            { method: 'GET', path: '/a', handler },
            { method: 'GET', path: '/a', handler },
          ],
        },
        "MonitoringRouter.use 'x': GET /a appears twice",
      ],
    ];
    for (const [provider, message] of bad) {
      const error = caught(() => router.use(provider as RouteProvider));
      expect(error, message).toMatchObject({ code: 'INVALID_OPTION' });
      expect((error as Error).message).toContain(message);
    }
  });
});
