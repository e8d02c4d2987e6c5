import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { checks, HealthMonitor, type HealthReport } from '../../src/index.js';

const url = inject('postgresUrl');
let pool: pg.Pool;

beforeAll(() => {
  pool = new pg.Pool({ connectionString: url, max: 2 });
});

afterAll(async () => {
  await pool.end();
});

afterEach(() => {
  vi.useRealTimers();
});

async function runOne(check: ReturnType<typeof checks.postgres>): Promise<HealthReport> {
  return new HealthMonitor({ checks: [check], timeout: '30s' }).check();
}

describe('checks.postgres against a real server', () => {
  it('passes on SELECT 1 through a pool, timing the checkout and the query', async () => {
    const report = await runOne(checks.postgres(pool));
    const result = report.checks.postgres;
    expect(result).toMatchObject({
      status: 'pass',
      key: 'postgres:responseTime',
      componentType: 'datastore',
      critical: true,
      quick: false,
      observedUnit: 'ms',
    });
    expect(result?.observedValue).toBeGreaterThan(0);
    expect(result?.details).toMatchObject({
      connectTime: expect.any(Number),
      queryTime: expect.any(Number),
      totalCount: expect.any(Number),
      idleCount: expect.any(Number),
      waitingCount: 0,
    });
    expect(report.status).toBe('healthy');
  });

  it('returns the connection to the pool', async () => {
    await runOne(checks.postgres(pool));
    await runOne(checks.postgres(pool));
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });

  it('runs the query on anything with query(), such as a pg Client', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const result = (await runOne(checks.postgres(client, { name: 'client' }))).checks.client;
      expect(result).toMatchObject({ status: 'pass', key: 'client:responseTime' });
      expect(result?.details).toBeUndefined();
    } finally {
      await client.end();
    }
  });

  it('fails with the server error when the query fails, and discards that connection', async () => {
    const own = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const result = (await runOne(checks.postgres(own, { query: 'SELECT nope' }))).checks.postgres;
      expect(result).toMatchObject({ status: 'fail', output: 'column "nope" does not exist' });
      expect(own.totalCount).toBe(0);
    } finally {
      await own.end();
    }
  });

  it('warns when slower than warnAfter', async () => {
    const result = (await runOne(checks.postgres(pool, { warnAfter: 0 }))).checks.postgres;
    expect(result?.status).toBe('warn');
    expect(result?.output).toMatch(/^responded in [\d.]+ ms, slower than 0 ms$/);
  });

  it('fails at once, without waiting for the timeout, when nothing listens on the port', async () => {
    const down = new pg.Pool({ host: '127.0.0.1', port: 1, user: 'postgres', max: 1 });
    try {
      const report = await runOne(checks.postgres(down));
      expect(report.status).toBe('critical');
      expect(report.checks.postgres?.output).toBe('connect ECONNREFUSED 127.0.0.1:1');
    } finally {
      await down.end();
    }
  });

  it('fails at its timeout when the server accepts but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const stuck = new pg.Pool({ host: '127.0.0.1', port, user: 'postgres', max: 1 });
    stuck.on('error', () => {});
    const connected = new Promise<void>((resolve) => silent.once('connection', () => resolve()));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const pending = new HealthMonitor({
        checks: [checks.postgres(stuck, { timeout: 2_000 })],
      }).check();
      await connected;
      await vi.advanceTimersByTimeAsync(2_000);
      const report = await pending;
      expect(report.checks.postgres).toMatchObject({
        status: 'fail',
        output: 'timeout after 2000ms',
      });
    } finally {
      vi.useRealTimers();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
      await stuck.end().catch(() => {});
    }
  });

  it('rejects something that cannot run a query', () => {
    expect(() => checks.postgres({} as never)).toThrow(
      'checks.postgres: pool should be a pg Pool or Client (with query())',
    );
    expect(() => checks.postgres(pool, { warnAfter: 'soon' })).toThrow('warnAfter');
  });
});
