import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';

let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(): Promise<string> {
  app = await buildApp();
  return app.listen({ port: 0, host: '127.0.0.1' });
}

function count(route: string, status: string, extra = 'error_type=""', method = 'GET'): string {
  return `http_server_request_duration_seconds_count{service="fastify-app",http_request_method="${method}",http_route="${route}",http_response_status_code="${status}",${extra}}`;
}

describe('the Fastify example app', () => {
  it('serves the orders API with Server-Timing and records every request by route', async () => {
    const url = await start();
    const created = await fetch(`${url}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'book', quantity: 2 }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const found = await fetch(`${url}/api/v1/orders/${id}`);
    expect(await found.json()).toEqual({ id, item: 'book', quantity: 2 });
    expect(found.headers.get('server-timing')).toMatch(/^db;dur=[\d.]+$/);
    expect((await fetch(`${url}/api/v1/orders/999`)).status).toBe(404);
    expect((await fetch(`${url}/api/v1/orders/report`)).status).toBe(500);
    expect((await fetch(`${url}/wp-login.php`)).status).toBe(404);

    const text = await (await fetch(`${url}/_vigil/metrics`)).text();
    expect(text).toContain(`${count('/api/v1/orders', '201', 'error_type=""', 'POST')} 1`);
    expect(text).toContain(`${count('/api/v1/orders/:id', '200')} 1`);
    expect(text).toContain(`${count('/api/v1/orders/:id', '404')} 1`);
    expect(text).toContain(`${count('/api/v1/orders/report', '500', 'error_type="Error"')} 1`);
    expect(text).toContain(`${count('', '404')} 1`);
    expect(text).not.toContain('wp-login');
    expect(text).toMatch(/vigil_db_duration_seconds_count\{[^}]*operation="insert"[^}]*\} 1/);
  });

  it('answers the health routes under /_vigil, and stops answering once closed', async () => {
    const url = await start();
    const health = await fetch(`${url}/_vigil/health`);
    expect(health.headers.get('content-type')).toMatch(/^application\/health\+json/);
    expect((await health.json()) as { version?: string }).toMatchObject({ version: '1.0.0' });
    expect((await fetch(`${url}/_vigil/health/live`)).status).toBe(200);
    expect((await fetch(`${url}/_vigil/health/ready`)).status).toBe(200);
    const closing = app as FastifyInstance;
    app = undefined;
    await closing.close();
    await expect(fetch(`${url}/_vigil/health/live`)).rejects.toThrow();
  });
});
