import { type ChildProcess, spawn } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type ExampleApp } from '../src/app.js';

const EXAMPLE = join(import.meta.dirname, '..');

let example: ExampleApp;
let server: Server;
let base: string;

beforeAll(async () => {
  example = createApp({ dbLatencyMs: 1, processMetrics: false });
  example.app.set('env', 'test');
  server = await new Promise<Server>((resolve) => {
    const started = example.app.listen(0, '127.0.0.1', () => resolve(started));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await example.close();
});

describe('the example app', () => {
  it('answers its routes, with Server-Timing from the timed database call', async () => {
    const user = await fetch(`${base}/api/users/1`);
    expect(await user.json()).toEqual({ id: 1, name: 'Ada' });
    expect(user.headers.get('server-timing')).toMatch(/^db;dur=[\d.]+$/);
    expect((await fetch(`${base}/api/users/99`)).status).toBe(404);
    expect(await (await fetch(`${base}/api/orders/7`)).json()).toEqual({
      id: '7',
      status: 'shipped',
    });
    const boom = await fetch(`${base}/api/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({ error: 'something broke' });
  });

  it('serves its health and its metrics, labelled with the route templates', async () => {
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'pass',
      checks: { database: [{ status: 'pass' }] },
    });
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);

    const text = await (await fetch(`${base}/metrics`)).text();
    const count = (route: string, status: string, errorType = '') =>
      `http_server_request_duration_seconds_count{service="express-app",http_request_method="GET",http_route="${route}",http_response_status_code="${status}",error_type="${errorType}"} 1\n`;
    expect(text).toContain(count('/api/users/:id', '200'));
    expect(text).toContain(count('/api/users/:id', '404'));
    expect(text).toContain(count('/api/orders/:orderId', '200'));
    expect(text).toContain(count('/api/boom', '500', 'TypeError'));
    expect(text).toContain(
      'vigil_db_duration_seconds_count{service="express-app",operation="select",table="users",result="success"} 2\n',
    );
  });
});

describe('src/main.ts (pnpm start)', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill();
    child = undefined;
  });

  it('listens on 127.0.0.1 at PORT and prints its URL', async () => {
    child = spawn(join(EXAMPLE, 'node_modules', '.bin', 'tsx'), ['src/main.ts'], {
      cwd: EXAMPLE,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = child;
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      started.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const found = /Vigil Express example on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output)?.[1];
        if (found !== undefined) resolve(found);
      });
      started.on('exit', (code) => reject(new Error(`main.ts exited (${code}): ${output}`)));
    });
    expect(await (await fetch(`${url}/api/orders/1`)).json()).toEqual({
      id: '1',
      status: 'shipped',
    });
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
  }, 30_000);
});
