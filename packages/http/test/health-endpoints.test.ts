import { HealthMonitor } from '@vigil/health';
import { afterEach, describe, expect, it } from 'vitest';
import { closeServers, serveRouter } from './support/serve-router.js';

let db: 'up' | 'down' = 'up';
const monitors: HealthMonitor[] = [];

function monitor(): HealthMonitor {
  const health = new HealthMonitor({
    version: '1.2.3',
    cacheFor: 0,
    checks: [
      {
        name: 'db',
        component: 'postgres',
        measurement: 'connections',
        quick: false,
        run: () =>
          db === 'up'
            ? { status: 'pass', observedValue: 3 }
            : { status: 'fail', output: 'connect ECONNREFUSED 10.0.0.5:5432' },
      },
      {
        name: 'loop',
        quick: true,
        critical: false,
        run: () => ({ status: 'warn', output: 'slow' }),
      },
    ],
  });
  monitors.push(health);
  return health;
}

afterEach(async () => {
  db = 'up';
  await closeServers();
  await Promise.all(monitors.splice(0).map((m) => m.close()));
});

async function get(url: string) {
  const response = await fetch(url);
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('the health endpoints', () => {
  it('GET /health renders the full report as application/health+json, 200 while not failing', async () => {
    const { server } = await serveRouter({ health: monitor() });
    const { status, type, body } = await get(`${server.url}/health`);
    expect(status).toBe(200);
    expect(type).toBe('application/health+json');
    expect(body).toMatchObject({ status: 'warn', version: '1.2.3', score: 75 });
    expect(Object.keys(body.checks as object)).toEqual(
      expect.arrayContaining(['postgres:connections', 'loop']),
    );
  });

  it('GET /health answers 503 when a critical check fails', async () => {
    const { server } = await serveRouter({ health: monitor() });
    db = 'down';
    const { status, body } = await get(`${server.url}/health`);
    expect(status).toBe(503);
    expect(body.status).toBe('fail');
    expect(JSON.stringify(body)).toContain('ECONNREFUSED');
  });

  it('leaves check outputs out with healthOutputs: false', async () => {
    const { server } = await serveRouter({ health: monitor(), healthOutputs: false });
    db = 'down';
    const { status, body } = await get(`${server.url}/health`);
    expect(status).toBe(503);
    expect(JSON.stringify(body)).not.toContain('ECONNREFUSED');
  });

  it('GET /health?quick=true runs only the quick checks', async () => {
    const { server } = await serveRouter({ health: monitor() });
    db = 'down';
    const { status, body } = await get(`${server.url}/health?quick=true`);
    expect(status).toBe(200);
    expect(Object.keys(body.checks as object)).not.toContain('postgres:connections');
    const bad = await fetch(`${server.url}/health?quick=maybe`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'HTTP_BAD_REQUEST' });
  });

  it('GET /health/live passes without running checks', async () => {
    const { server } = await serveRouter({ health: monitor() });
    db = 'down';
    const { status, body } = await get(`${server.url}/health/live`);
    expect(status).toBe(200);
    expect(body.status).toBe('pass');
  });

  it('GET /health/ready turns 503 after beginShutdown()', async () => {
    const health = monitor();
    const { server } = await serveRouter({ health });
    expect((await get(`${server.url}/health/ready`)).status).toBe(200);
    expect((await get(`${server.url}/health/started`)).status).toBe(200);
    health.beginShutdown();
    const { status, body } = await get(`${server.url}/health/ready`);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'fail', output: 'shutting down' });
  });

  it('GET /health answers 503 health+json once the monitor is closed', async () => {
    const health = monitor();
    const { server } = await serveRouter({ health });
    await health.close();
    const { status, type, body } = await get(`${server.url}/health`);
    expect(status).toBe(503);
    expect(type).toBe('application/health+json');
    expect(body).toEqual({ status: 'fail', output: 'the health monitor is closed' });
  });

  it('needs the token on health too with protectReadEndpoints', async () => {
    const token = 'health-token-0123456789';
    const { server } = await serveRouter({ health: monitor(), token, protectReadEndpoints: true });
    expect((await fetch(`${server.url}/health/live`)).status).toBe(401);
    const ok = await fetch(`${server.url}/health/live`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
  });
});
