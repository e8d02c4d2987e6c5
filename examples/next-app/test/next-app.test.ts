import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A real `next build` and `next start` of this app on 127.0.0.1, and real requests to it.

const APP = join(import.meta.dirname, '..');
const NEXT = join(APP, 'node_modules', 'next', 'dist', 'bin', 'next');
// No telemetry, no network: Next.js must not reach outside the machine.
// (vitest sets NODE_ENV=test, which `next build` must not see.)
const ENV: NodeJS.ProcessEnv = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  NODE_ENV: 'production',
};

let server: ChildProcess | undefined;
let base = '';

/** Runs `next build`; rejects with the end of its output when it fails. */
function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NEXT, 'build'], { cwd: APP, env: ENV });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`next build exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
}

/** A port that was free a moment ago on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `next start` on 127.0.0.1:`port`; resolves once it says it is ready (within 60 s). */
function start(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [NEXT, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: APP,
    env: ENV,
    detached: true, // its own process group, so that afterAll stops all of it
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const limit = setTimeout(() => {
      reject(new Error(`next start did not get ready within 60 s:\n${output}`));
    }, 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/Ready in/.test(output)) {
        clearTimeout(limit);
        resolve(child);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('exit', (code) => {
      clearTimeout(limit);
      reject(new Error(`next start exited with ${code}:\n${output}`));
    });
  });
}

/** Stops the server's process group and waits for it to exit. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    process.kill(-(child.pid as number), 'SIGTERM');
  });
}

/** The value of `name{labels}` in Prometheus text, or undefined. */
function sample(text: string, name: string, labels: string): number | undefined {
  const prefix = `${name}{${labels}} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length));
}

function count(method: string, route: string, status: string, errorType = ''): string {
  return `http_request_method="${method}",http_route="${route}",http_response_status_code="${status}",error_type="${errorType}"`;
}

const COUNT = 'http_server_request_duration_seconds_count';

beforeAll(async () => {
  await build();
  const port = await freePort();
  server = await start(port);
  base = `http://127.0.0.1:${port}`;
}, 300_000);

afterAll(async () => {
  if (server !== undefined) await stop(server);
});

describe('examples/next-app, built and started', () => {
  it('records the wrapped routes by their template and serves them at /api/metrics', async () => {
    for (const id of ['42', '7', '42']) {
      const response = await fetch(`${base}/api/users/${id}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id: Number(id), name: `User ${id}` });
    }
    expect((await fetch(`${base}/api/users/abc`)).status).toBe(404); // notFound()
    expect((await fetch(`${base}/api/out-of-stock`)).status).toBe(500); // throws

    const response = await fetch(`${base}/api/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(sample(text, COUNT, count('GET', '/api/users/[id]', '200'))).toBe(3);
    expect(sample(text, COUNT, count('GET', '/api/users/[id]', '404'))).toBe(1);
    expect(sample(text, COUNT, count('GET', '/api/out-of-stock', '500', 'OutOfStockError'))).toBe(
      1,
    );
    expect(text).not.toContain('/api/users/42');
    expect(sample(text, 'http_server_active_requests', 'http_request_method="GET"')).toBe(0);
    // The registry set in instrumentation.ts (with the process metrics) is the one served.
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
  });

  it('answers OpenMetrics, and is compressed once (by Next.js) when the client accepts gzip', async () => {
    const openMetrics = await fetch(`${base}/api/metrics?format=openmetrics`);
    expect(openMetrics.headers.get('content-type')).toContain('application/openmetrics-text');
    expect(await openMetrics.text()).toMatch(/# EOF\n$/);
    // fetch asks for gzip and decodes it once: a body gzipped twice would not read as text.
    const gzipped = await fetch(`${base}/api/metrics`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(await gzipped.text()).toContain('# TYPE http_server_request_duration_seconds histogram');
  });

  it('answers /api/health as application/health+json from the monitor set in instrumentation.ts', async () => {
    const response = await fetch(`${base}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/health+json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { status: string; checks: Record<string, unknown> };
    expect(['pass', 'warn']).toContain(body.status);
    expect(Object.keys(body.checks)).toEqual(
      expect.arrayContaining(['eventLoop:delay', 'heap:used']),
    );
  });

  it('answers the liveness and readiness probes', async () => {
    for (const probe of ['live', 'ready']) {
      const response = await fetch(`${base}/api/health/${probe}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/health+json');
      expect(((await response.json()) as { status: string }).status).toBe('pass');
    }
  });

  it('does not count the monitoring routes as traffic', async () => {
    await fetch(`${base}/api/health`);
    const text = await (await fetch(`${base}/api/metrics`)).text();
    expect(text).not.toContain('http_route="/api/metrics"');
    expect(text).not.toContain('http_route="/api/health"');
  });
});
