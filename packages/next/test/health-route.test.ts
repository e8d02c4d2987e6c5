import { VigilError } from '@vigil/core';
import { checks, HealthMonitor } from '@vigil/health';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { healthRoute, setHealth } from '../src/index.js';
import { resetGlobals } from './support/reset.js';

const TOKEN = 'health-token-0123456789';
const monitors: HealthMonitor[] = [];

/** A monitor whose `db` check answers `status` (critical) and `cache` answers pass (quick). */
function monitor(db: { status: 'pass' | 'warn' | 'fail' } = { status: 'pass' }): HealthMonitor {
  const health = new HealthMonitor({
    checks: [
      checks.custom('db', () =>
        db.status === 'fail' ? { ...db, output: 'db.internal:5432 refused' } : db,
      ),
      checks.custom('cache', () => ({ status: 'pass' }), { quick: true, critical: false }),
    ],
    cacheFor: 0,
  });
  monitors.push(health);
  return health;
}

beforeEach(() => {
  resetGlobals();
});

afterEach(async () => {
  await Promise.all(monitors.splice(0).map((health) => health.close()));
});

async function body(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

describe('healthRoute', () => {
  it('answers the process-wide monitor’s full check as application/health+json', async () => {
    setHealth(monitor());
    const { GET } = healthRoute();
    const response = await GET(new Request('http://app.test/api/health'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/health+json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const json = await body(response);
    expect(json.status).toBe('pass');
    expect(Object.keys(json.checks as object)).toEqual(expect.arrayContaining(['db', 'cache']));
  });

  it('answers 503 and fail when a critical check fails', async () => {
    setHealth(monitor({ status: 'fail' }));
    const { GET } = healthRoute();
    const response = await GET(new Request('http://app.test/api/health'));
    expect(response.status).toBe(503);
    const json = await body(response);
    expect(json.status).toBe('fail');
    expect(JSON.stringify(json)).toContain('db.internal:5432 refused');
  });

  it('runs only the quick checks with ?quick=true', async () => {
    setHealth(monitor({ status: 'fail' }));
    const { GET } = healthRoute();
    const response = await GET(new Request('http://app.test/api/health?quick=true'));
    expect(response.status).toBe(200);
    expect(Object.keys((await body(response)).checks as object)).not.toContain('db');
  });

  it('hides the checks’ output with outputs: false', async () => {
    setHealth(monitor({ status: 'fail' }));
    const { GET } = healthRoute({ outputs: false });
    const response = await GET(new Request('http://app.test/api/health'));
    expect(response.status).toBe(503);
    expect(await response.text()).not.toContain('db.internal');
  });

  it('answers the probes: live passes while the checks fail, ready fails after beginShutdown()', async () => {
    setHealth(monitor({ status: 'fail' }));
    const live = healthRoute({ probe: 'live' });
    const liveAnswer = await live.GET(new Request('http://app.test/api/health/live'));
    expect(liveAnswer.status).toBe(200);
    expect((await body(liveAnswer)).status).toBe('pass');

    const healthy = setHealth(monitor());
    const ready = healthRoute({ probe: 'ready' });
    expect((await ready.GET(new Request('http://app.test/api/health/ready'))).status).toBe(200);
    healthy.beginShutdown();
    const draining = await ready.GET(new Request('http://app.test/api/health/ready'));
    expect(draining.status).toBe(503);
    expect((await body(draining)).status).toBe('fail');
  });

  it('answers the startup probe', async () => {
    setHealth(monitor());
    const { GET } = healthRoute({ probe: 'started' });
    const response = await GET(new Request('http://app.test/api/health/started'));
    expect(response.status).toBe(200);
  });

  it('answers the monitor it is given rather than the process-wide one', async () => {
    setHealth(monitor({ status: 'fail' }));
    const { GET } = healthRoute({ health: monitor() });
    expect((await GET(new Request('http://app.test/api/health'))).status).toBe(200);
  });

  it('answers 404 HTTP_NOT_FOUND saying what to do while no monitor is set, then the one set', async () => {
    const { GET } = healthRoute();
    const missing = await GET(new Request('http://app.test/api/health'));
    expect(missing.status).toBe(404);
    const json = await body(missing);
    expect(json.code).toBe('HTTP_NOT_FOUND');
    expect(json.message).toContain(
      'call setHealth(new HealthMonitor(…)) in register() of instrumentation.ts',
    );
    setHealth(monitor());
    expect((await GET(new Request('http://app.test/api/health'))).status).toBe(200);
  });

  it('answers 503 when the monitor is closed (the process is shutting down)', async () => {
    const health = setHealth(monitor());
    await health.close();
    const { GET } = healthRoute();
    const response = await GET(new Request('http://app.test/api/health'));
    expect(response.status).toBe(503);
  });

  it('requires the bearer token when one is configured, before saying anything', async () => {
    const { GET } = healthRoute({ token: TOKEN });
    expect((await GET(new Request('http://app.test/api/health'))).status).toBe(401);
    const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
    expect((await GET(new Request('http://app.test/api/health', auth))).status).toBe(404);
    setHealth(monitor());
    expect((await GET(new Request('http://app.test/api/health'))).status).toBe(401);
    expect((await GET(new Request('http://app.test/api/health', auth))).status).toBe(200);
  });

  it.each([
    [
      'an unknown probe',
      { probe: 'liveness' },
      'healthRoute: probe should be one of "check", "live", "ready", "started", got "liveness"',
    ],
    ['a health that is not a monitor', { health: {} }, 'health should be a HealthMonitor'],
    ['a non-boolean outputs', { outputs: 'no' }, 'outputs should be true or false'],
    ['a short token', { token: 'short' }, 'token'],
    ['an unknown option', { quick: true }, "unknown option 'quick'"],
  ])('throws INVALID_OPTION when made with %s', (_name, options, message) => {
    let thrown: unknown;
    try {
      healthRoute(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VigilError);
    expect(thrown).toMatchObject({ code: 'INVALID_OPTION' });
    expect((thrown as Error).message).toContain(message);
  });

  it('setHealth throws INVALID_OPTION for something that is not a monitor', () => {
    expect(() => setHealth({ check: () => undefined } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});
