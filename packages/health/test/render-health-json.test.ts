import { manualClock } from '@vigil/core/testing';
import { describe, expect, it } from 'vitest';
import {
  HEALTH_JSON_CONTENT_TYPE,
  HealthMonitor,
  type HealthReport,
  renderHealthJson,
} from '../src/index.js';

const T0 = Date.UTC(2025, 0, 1);
const TIME = '2025-01-01T00:00:00.000Z';

function monitorWith(status: { db: 'pass' | 'warn' | 'fail'; cache: 'pass' | 'warn' | 'fail' }) {
  return new HealthMonitor({
    clock: manualClock(T0),
    version: '1.4.2',
    releaseId: '1.4.2-abc',
    serviceId: 'api',
    description: 'the API',
    checks: [
      {
        name: 'postgres',
        measurement: 'responseTime',
        componentType: 'datastore',
        run: () => ({
          status: status.db,
          observedValue: 1.5,
          observedUnit: 'ms',
          ...(status.db === 'pass' ? {} : { output: 'connect ECONNREFUSED 127.0.0.1:5432' }),
          details: { idleCount: 2 },
        }),
      },
      {
        name: 'cache',
        component: 'redis',
        measurement: 'responseTime',
        critical: false,
        run: () => ({ status: status.cache, output: 'PING answered "LOADING"' }),
      },
    ],
  });
}

describe('renderHealthJson', () => {
  it('renders a healthy report as pass with 200 and checks keyed component:measurement', async () => {
    const report = await monitorWith({ db: 'pass', cache: 'pass' }).check();
    const response = renderHealthJson(report);
    expect(response.contentType).toBe('application/health+json');
    expect(HEALTH_JSON_CONTENT_TYPE).toBe('application/health+json');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'pass',
      version: '1.4.2',
      releaseId: '1.4.2-abc',
      serviceId: 'api',
      description: 'the API',
      checks: {
        'postgres:responseTime': [
          {
            componentType: 'datastore',
            observedValue: 1.5,
            observedUnit: 'ms',
            status: 'pass',
            time: TIME,
            details: { idleCount: 2 },
          },
        ],
        'redis:responseTime': [{ componentId: 'cache', status: 'pass', time: TIME }],
        uptime: [
          {
            componentType: 'system',
            observedValue: report.uptime,
            observedUnit: 's',
            status: 'pass',
            time: TIME,
          },
        ],
      },
      score: 100,
    });
  });

  it('renders degraded as warn with 200, with the failing checks in output', async () => {
    const report = await monitorWith({ db: 'pass', cache: 'fail' }).check();
    const { status, body } = renderHealthJson(report);
    expect(status).toBe(200);
    expect(body.status).toBe('warn');
    expect(body.output).toBe('cache: fail: PING answered "LOADING"');
    expect(body.checks?.['redis:responseTime']?.[0]).toMatchObject({
      status: 'fail',
      output: 'PING answered "LOADING"',
    });
    expect(body.score).toBe(50);
  });

  it('renders critical as fail with 503', async () => {
    const report = await monitorWith({ db: 'fail', cache: 'pass' }).check();
    const { status, body } = renderHealthJson(report);
    expect(status).toBe(503);
    expect(body.status).toBe('fail');
    expect(body.output).toBe('postgres: fail: connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('never puts an output on a passing check', async () => {
    const report = await monitorWith({ db: 'pass', cache: 'pass' }).check();
    const { body } = renderHealthJson(report);
    expect(body.output).toBeUndefined();
    expect(body.checks?.['redis:responseTime']?.[0]?.output).toBeUndefined();
  });

  it('leaves out outputs and details with outputs: false', async () => {
    const report = await monitorWith({ db: 'fail', cache: 'warn' }).check();
    const { body } = renderHealthJson(report, { outputs: false });
    expect(body.output).toBe('postgres: fail; cache: warn');
    expect(JSON.stringify(body)).not.toContain('ECONNREFUSED');
    expect(body.checks?.['postgres:responseTime']?.[0]).not.toHaveProperty('details');
  });

  it('puts checks that share a key into one array', async () => {
    const monitor = new HealthMonitor({
      checks: [
        { name: 'primary', component: 'postgres', measurement: 'responseTime', run: () => true },
        { name: 'replica', component: 'postgres', measurement: 'responseTime', run: () => false },
      ],
    });
    const { body } = renderHealthJson(await monitor.check());
    expect(body.checks?.['postgres:responseTime']?.map((c) => [c.componentId, c.status])).toEqual([
      ['primary', 'pass'],
      ['replica', 'fail'],
    ]);
  });

  it("keeps a check's own uptime key", async () => {
    const monitor = new HealthMonitor({
      checks: [{ name: 'uptime', run: () => ({ status: 'warn', observedValue: 3 }) }],
    });
    const { body } = renderHealthJson(await monitor.check());
    expect(body.checks?.uptime).toEqual([
      expect.objectContaining({ status: 'warn', observedValue: 3 }),
    ]);
  });

  it('renders a passing probe as pass with 200 and its checks', async () => {
    const monitor = monitorWith({ db: 'pass', cache: 'fail' });
    const { status, body } = renderHealthJson(await monitor.ready());
    expect(status).toBe(200);
    expect(body.status).toBe('pass');
    expect(body.output).toBeUndefined();
    expect(body.version).toBe('1.4.2');
  });

  it('renders a failing probe as fail with 503 and its reason', async () => {
    const monitor = monitorWith({ db: 'pass', cache: 'pass' });
    monitor.beginShutdown();
    const { status, body } = renderHealthJson(await monitor.ready());
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'fail', output: 'shutting down' });
    expect(body.checks).toBeUndefined();
  });

  it('renders liveness without checks', async () => {
    const { status, body } = renderHealthJson(await new HealthMonitor().live());
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'pass' });
  });

  it('is pure: the same report renders the same body', async () => {
    const report: HealthReport = await monitorWith({ db: 'warn', cache: 'pass' }).check();
    expect(renderHealthJson(report)).toEqual(renderHealthJson(report));
    expect(JSON.parse(JSON.stringify(renderHealthJson(report).body))).toEqual(
      renderHealthJson(report).body,
    );
  });
});
