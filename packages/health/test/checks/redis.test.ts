import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checks, HealthMonitor, type HealthReport } from '../../src/index.js';

const url = inject('redisUrl');
let client: Redis;

beforeAll(() => {
  client = new Redis(url);
});

afterAll(async () => {
  await client.quit();
});

async function runOne(check: ReturnType<typeof checks.redis>): Promise<HealthReport> {
  return new HealthMonitor({ checks: [check], timeout: '30s' }).check();
}

describe('checks.redis against a real server', () => {
  it('passes when PING answers PONG, and observes the time it took', async () => {
    const report = await runOne(checks.redis(client));
    expect(report.checks.redis).toMatchObject({
      status: 'pass',
      key: 'redis:responseTime',
      componentType: 'datastore',
      critical: true,
      observedUnit: 'ms',
    });
    expect(report.checks.redis?.observedValue).toBeGreaterThan(0);
  });

  it('warns when slower than warnAfter', async () => {
    const result = (await runOne(checks.redis(client, { warnAfter: 0 }))).checks.redis;
    expect(result?.status).toBe('warn');
  });

  it('fails at once when nothing listens on the port', async () => {
    const down = new Redis({
      host: '127.0.0.1',
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => {});
    try {
      const report = await runOne(checks.redis(down));
      expect(report.status).toBe('critical');
      expect(report.checks.redis?.status).toBe('fail');
      expect(report.checks.redis?.output).toBe(
        "Stream isn't writeable and enableOfflineQueue options is false",
      );
    } finally {
      down.disconnect();
    }
  });

  it('fails at once while a client reconnects, instead of queueing PING until the timeout', async () => {
    const down = new Redis({ host: '127.0.0.1', port: 1, retryStrategy: () => 60_000 });
    down.on('error', () => {});
    try {
      await new Promise((resolve) => down.once('reconnecting', resolve));
      const report = await runOne(checks.redis(down));
      expect(report.checks.redis).toMatchObject({
        status: 'fail',
        output: 'the Redis connection is reconnecting',
      });
    } finally {
      down.disconnect();
    }
  });

  it('fails when PING answers something else', async () => {
    const result = (await runOne(checks.redis({ ping: async () => 'LOADING' }))).checks.redis;
    expect(result).toMatchObject({
      status: 'fail',
      output: 'PING answered "LOADING", expected "PONG"',
    });
  });

  it('rejects something that cannot PING', () => {
    expect(() => checks.redis({} as never)).toThrow(
      'client should be an ioredis or node-redis client',
    );
  });
});
