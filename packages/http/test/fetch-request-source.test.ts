import { gunzipSync } from 'node:zlib';
import { Registry } from '@vigil/core';
import { HealthMonitor } from '@vigil/health';
import { parseExposition } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { createMonitoringRouter, type MonitoringRouterOptions } from '../src/index.js';

const TOKEN = 'fetch-token-0123456789abcdef';
const BASE = 'http://app.test';

function router(options: Partial<MonitoringRouterOptions> = {}) {
  const registry = new Registry();
  registry.gauge({ name: 'queue_depth', help: 'Jobs waiting.' }).set(7);
  const r = createMonitoringRouter({ registry, prefix: '/api/vigil', ...options });
  r.route('POST', '/echo/:id', async (request) => ({
    status: 201,
    body: { id: request.params.id, body: await request.json() },
  }));
  return r;
}

describe('MonitoringRouter.fetch (fetch API Request → Response)', () => {
  it('resolves undefined for paths that are not its own', async () => {
    const r = router();
    for (const path of ['/', '/metrics', '/api/vigil', '/api/vigil/nope', '/api/vigilx/metrics']) {
      expect(await r.fetch(new Request(BASE + path)), path).toBeUndefined();
    }
  });

  it('serves /metrics as a Response, OpenMetrics on request', async () => {
    const r = router();
    const text = (await r.fetch(new Request(`${BASE}/api/vigil/metrics`))) as Response;
    expect(text).toBeInstanceOf(Response);
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await text.text()).toContain('queue_depth 7');
    const om = (await r.fetch(
      new Request(`${BASE}/api/vigil/metrics?format=openmetrics`),
    )) as Response;
    expect(om.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    expect(parseExposition(await om.text(), 'openmetrics').eof).toBe(true);
  });

  it('gzips /metrics when the request accepts gzip', async () => {
    const r = router();
    const response = (await r.fetch(
      new Request(`${BASE}/api/vigil/metrics?format=prometheus`, {
        headers: { 'accept-encoding': 'gzip' },
      }),
    )) as Response;
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const body = gunzipSync(Buffer.from(await response.arrayBuffer())).toString('utf8');
    expect(body).toContain('# TYPE queue_depth gauge\nqueue_depth 7\n');
  });

  it('answers HEAD without a body', async () => {
    const response = (await router().fetch(
      new Request(`${BASE}/api/vigil/metrics`, { method: 'HEAD' }),
    )) as Response;
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
  });

  it('serves the health probes as application/health+json', async () => {
    const health = new HealthMonitor({ checks: [] });
    try {
      const r = router({ health });
      const live = (await r.fetch(new Request(`${BASE}/api/vigil/health/live`))) as Response;
      expect(live.status).toBe(200);
      expect(live.headers.get('content-type')).toBe('application/health+json');
      expect(await live.json()).toMatchObject({ status: 'pass' });
      health.beginShutdown();
      const ready = (await r.fetch(new Request(`${BASE}/api/vigil/health/ready`))) as Response;
      expect(ready.status).toBe(503);
    } finally {
      await health.close();
    }
  });

  it('refuses state changes without a configured token, and checks the token when there is one', async () => {
    const post = (r: ReturnType<typeof router>, headers: Record<string, string>) =>
      r.fetch(
        new Request(`${BASE}/api/vigil/echo/5`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: '{"a":1}',
        }),
      ) as Promise<Response>;
    const off = await post(router(), { authorization: `Bearer ${TOKEN}` });
    expect(off.status).toBe(403);
    expect(await off.json()).toMatchObject({ code: 'HTTP_WRITES_DISABLED' });
    const protectedRouter = router({ token: TOKEN });
    const wrong = await post(protectedRouter, { authorization: 'Bearer nope-nope-nope-nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
    const ok = await post(protectedRouter, { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ id: '5', body: { a: 1 } });
  });

  it('reads a streamed body up to maxBodyBytes, then answers 413', async () => {
    const r = router({ token: TOKEN, maxBodyBytes: 32 });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('"xxxxxxxx"'));
        controller.close();
      },
    });
    const response = (await r.fetch(
      new Request(`${BASE}/api/vigil/echo/1`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    )) as Response;
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'HTTP_PAYLOAD_TOO_LARGE' });
  });

  it('answers 405 JSON for a wrong method', async () => {
    const response = (await router().fetch(
      new Request(`${BASE}/api/vigil/metrics`, { method: 'DELETE' }),
    )) as Response;
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});
