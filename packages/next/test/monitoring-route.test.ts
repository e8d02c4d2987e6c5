import { type Registry, VigilError } from '@vigil/core';
import { checks, HealthMonitor } from '@vigil/health';
import type { RouteProvider } from '@vigil/http';
import { requestTargets } from '@vigil/test-support';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { monitoringRoute, setHealth } from '../src/index.js';
import { resetGlobals } from './support/reset.js';

const TOKEN = 'admin-token-0123456789';
const BASE = 'http://app.test/api/vigil';
const monitors: HealthMonitor[] = [];

let registry: Registry;

beforeEach(() => {
  registry = resetGlobals();
  registry.counter({ name: 'orders_total', help: 'Orders.' }).inc(3);
});

afterEach(async () => {
  await Promise.all(monitors.splice(0).map((monitor) => monitor.close()));
});

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

describe('monitoringRoute', () => {
  it("serves /metrics, the health routes and a provider's routes below the catch-all", async () => {
    replayed.length = 0;
    const health = new HealthMonitor({ checks: [checks.custom('db', () => true)], cacheFor: 0 });
    monitors.push(health);
    setHealth(health);
    const { GET, POST } = monitoringRoute({ prefix: '/api/vigil', routes: [jobs], token: TOKEN });

    const metrics = await GET(new Request(`${BASE}/metrics`));
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await metrics.text()).toContain('orders_total 3');
    expect((await GET(new Request(`${BASE}/health/ready`))).status).toBe(200);
    expect(await (await GET(new Request(`${BASE}/jobs/dead-letters`))).json()).toEqual({
      letters: [],
    });
    const refused = await POST(
      new Request(`${BASE}/jobs/dead-letters/7/replay`, { method: 'POST', body: '{}' }),
    );
    expect(refused.status).toBe(401);
    const replay = await POST(
      new Request(`${BASE}/jobs/dead-letters/7/replay`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ force: true }),
      }),
    );
    expect(replay.status).toBe(202);
    expect(replayed).toEqual(['7', { force: true }]);
  });

  it('answers 404 HTTP_NOT_FOUND below the prefix for a path that is no route', async () => {
    const { GET } = monitoringRoute({ prefix: '/api/vigil' });
    const missing = await GET(new Request(`${BASE}/health`)); // no monitor set
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'HTTP_NOT_FOUND' });
  });

  it('accepts every optional option passed explicitly as undefined', async () => {
    const { GET } = monitoringRoute({
      prefix: '/api/vigil',
      registry: undefined,
      health: undefined,
      routes: undefined,
      token: undefined,
      protectReadEndpoints: undefined,
      healthOutputs: undefined,
      maxBodyBytes: undefined,
      openMetrics: undefined,
      onError: undefined,
    });
    expect((await GET(new Request(`${BASE}/metrics`))).status).toBe(200);
  });

  it.each([
    ['no prefix', {}, "monitoringRoute: prefix should be the catch-all route's folder"],
    ['an unknown option', { prefix: '/api/vigil', prefx: '/x' }, "unknown option 'prefx'"],
    [
      'a provider without routes',
      { prefix: '/api/vigil', routes: [{ name: 'x' }] },
      "MonitoringRouter.use 'x': routes should be an array",
    ],
    ['a short token', { prefix: '/api/vigil', token: 'short' }, 'token should be at least'],
  ])('throws INVALID_OPTION when made with %s', (_name, options, message) => {
    let thrown: unknown;
    try {
      monitoringRoute(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VigilError);
    expect(thrown).toMatchObject({ code: 'INVALID_OPTION' });
    expect((thrown as Error).message).toContain(message);
  });

  it('answers every request target with a response, fuzzed', async () => {
    const { GET } = monitoringRoute({ prefix: '/api/vigil', routes: [jobs] });
    await fc.assert(
      fc.asyncProperty(requestTargets('/api/vigil'), async (target) => {
        let request: Request;
        try {
          request = new Request(`http://app.test${target}`);
        } catch {
          return; // not a URL a client could send to Next.js
        }
        const response = await GET(request);
        expect([200, 400, 404, 405]).toContain(response.status);
        await response.arrayBuffer();
      }),
      { numRuns: 200 },
    );
  });
});
