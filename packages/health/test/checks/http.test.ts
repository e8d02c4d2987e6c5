import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { checks, HealthMonitor, type HealthReport } from '../../src/index.js';

let server: Server;
let base: string;
/** Requests the server got, as `METHOD path`. */
const seen: string[] = [];
let hanging: { request: IncomingMessage; closed: Promise<void> } | undefined;
let onHang: (() => void) | undefined;

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    if (request.url === '/hang') {
      hanging = {
        request,
        closed: new Promise((resolve) => request.socket.once('close', () => resolve())),
      };
      onHang?.();
      return;
    }
    if (request.url === '/auth') {
      response.writeHead(request.headers.authorization === 'Bearer s3cret' ? 204 : 401).end();
      return;
    }
    const status = Number(request.url?.slice(1)) || 200;
    response.writeHead(status, { 'content-type': 'text/plain' }).end('x'.repeat(100_000));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  vi.useRealTimers();
});

async function runOne(check: ReturnType<typeof checks.http>): Promise<HealthReport> {
  return new HealthMonitor({ checks: [check], timeout: '30s' }).check();
}

describe('checks.http against a real server', () => {
  it('passes on a 2xx and observes the response time, named after the host', async () => {
    const report = await runOne(checks.http(`${base}/200`));
    const host = new URL(base).host;
    const result = report.checks[host];
    expect(result).toMatchObject({
      status: 'pass',
      key: `${host}:responseTime`,
      componentType: 'component',
      critical: true,
      observedUnit: 'ms',
      details: { statusCode: 200 },
    });
    expect(result?.observedValue).toBeGreaterThan(0);
  });

  it('fails on a status it does not expect, saying which it expected', async () => {
    const result = (await runOne(checks.http(`${base}/503`, { name: 'partner' }))).checks.partner;
    expect(result).toMatchObject({
      status: 'fail',
      output: `GET ${base}/503 answered 503, expected 2xx`,
      details: { statusCode: 503 },
    });
  });

  it('takes a status, a list or a function as expectStatus', async () => {
    const monitor = new HealthMonitor({
      checks: [
        checks.http(`${base}/301`, { name: 'one', expectStatus: 301 }),
        checks.http(`${base}/404`, { name: 'list', expectStatus: [200, 404] }),
        checks.http(`${base}/500`, { name: 'fn', expectStatus: (s) => s < 500 }),
      ],
    });
    const report = await monitor.check();
    expect(report.checks.one?.status).toBe('pass');
    expect(report.checks.list?.status).toBe('pass');
    expect(report.checks.fn).toMatchObject({
      status: 'fail',
      output: `GET ${base}/500 answered 500, expected a status expectStatus accepts`,
    });
  });

  it('sends the method and headers it is given', async () => {
    const report = await runOne(
      checks.http(`${base}/auth`, {
        name: 'auth',
        method: 'HEAD',
        headers: { authorization: 'Bearer s3cret' },
      }),
    );
    expect(report.checks.auth?.status).toBe('pass');
    expect(seen).toContain('HEAD /auth');
  });

  it('warns when slower than warnAfter', async () => {
    const result = (await runOne(checks.http(`${base}/200`, { name: 'x', warnAfter: 0 }))).checks.x;
    expect(result?.status).toBe('warn');
  });

  it('fails at once, without waiting for the timeout, when nothing listens on the port', async () => {
    // A port that was free a moment ago (fetch refuses to call port 1 at all).
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const result = (await runOne(checks.http(`http://127.0.0.1:${port}/health`, { name: 'down' })))
      .checks.down;
    expect(result).toMatchObject({
      status: 'fail',
      output: `fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('aborts the request at its timeout and reports fail', async () => {
    const arrived = new Promise<void>((resolve) => {
      onHang = resolve;
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const pending = new HealthMonitor({
      checks: [checks.http(`${base}/hang`, { name: 'slow', timeout: '2s' })],
    }).check();
    await arrived;
    await vi.advanceTimersByTimeAsync(2_000);
    const report = await pending;
    expect(report.checks.slow).toMatchObject({ status: 'fail', output: 'timeout after 2000ms' });
    // The server sees the connection go: the signal reached fetch.
    await hanging?.closed;
    expect(hanging?.request.destroyed).toBe(true);
  });

  it.each([
    ['not a url', 'url should be an absolute http(s) URL, got "not a url"'],
    ['ftp://127.0.0.1/', 'url should use http: or https:'],
  ])('rejects the url %j', (url, message) => {
    expect(() => checks.http(url)).toThrow(message);
  });

  it.each([
    [{ expectStatus: 99 }, 'expectStatus should be a status code (100–599)'],
    [{ expectStatus: [] }, 'expectStatus should be a status code'],
    [{ method: 'POST' }, 'method should be one of "GET", "HEAD", got "POST"'],
    [{ headers: { a: 1 } }, 'headers should be an object of strings'],
    [{ retries: 2 }, "unknown option 'retries'"],
  ])('rejects %j', (options, message) => {
    expect(() => checks.http(`${base}/200`, options as never)).toThrow(message);
  });
});
