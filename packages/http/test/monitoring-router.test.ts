import type { Readable } from 'node:stream';
import { type BackgroundErrorContext, Registry, VigilError } from '@vigil/core';
import { caught } from '@vigil/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMonitoringRouter, HttpError, type MonitoringRouterOptions } from '../src/index.js';
import { listen } from './support/listen.js';
import { rawRequest } from './support/raw-request.js';
import { closeServers, serveRouter } from './support/serve-router.js';

const TOKEN = 'a-token-long-enough-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

afterEach(async () => {
  vi.restoreAllMocks();
  await closeServers();
});

describe('MonitoringRouter on node:http', () => {
  it('leaves paths that are not its own to the app, writing nothing', async () => {
    const { server, router } = await serveRouter();
    for (const path of ['/', '/users/1', '/metrics/', '/metricsx', '/health/other']) {
      const response = await fetch(server.url + path);
      expect(response.status, path).toBe(418);
      expect(await response.text()).toBe('app');
      expect(router.matches(path)).toBe(false);
    }
    expect(router.matches('/metrics?format=prometheus')).toBe(true);
  });

  it('serves its routes under the prefix only', async () => {
    const { server, router } = await serveRouter({ prefix: '/_vigil/' });
    expect(router.prefix).toBe('/_vigil');
    expect((await fetch(`${server.url}/_vigil/metrics`)).status).toBe(200);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(418);
    expect((await fetch(`${server.url}/_vigilx/metrics`)).status).toBe(418);
    expect((await fetch(`${server.url}/_vigil`)).status).toBe(418);
  });

  it('answers 405 with Allow for a method the route does not take', async () => {
    const { server } = await serveRouter();
    const response = await fetch(`${server.url}/metrics`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(await response.json()).toEqual({
      code: 'HTTP_METHOD_NOT_ALLOWED',
      message: 'POST is not allowed here; use GET or HEAD',
    });
  });

  it('leaves the health paths to the app when no health monitor is configured', async () => {
    const { server, router } = await serveRouter();
    for (const path of ['/health', '/health?quick=true', '/health/live', '/health/ready']) {
      const response = await fetch(server.url + path);
      expect(response.status, path).toBe(418);
      expect(router.matches(path)).toBe(false);
    }
  });

  it('serves added routes with decoded path parameters and the query', async () => {
    const { server } = await serveRouter({}, (router) => {
      router.route('GET', '/alerts/:id', (request) => ({
        body: { id: request.params.id, state: request.query.get('state'), path: request.path },
      }));
    });
    const response = await fetch(`${server.url}/alerts/cpu%20high?state=firing`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: 'cpu high',
      state: 'firing',
      path: '/alerts/cpu%20high',
    });
    const bad = await fetch(`${server.url}/alerts/%E0%A4%A`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'HTTP_BAD_REQUEST' });
  });

  it('sends string and byte bodies as they are, with their content type', async () => {
    const { server } = await serveRouter({}, (router) => {
      router.route('GET', '/text', () => ({ body: 'plain' }));
      router.route('GET', '/csv', () => ({
        status: 202,
        headers: { 'Content-Type': 'text/csv', 'X-Rows': '1' },
        body: new TextEncoder().encode('a,b\n'),
      }));
      router.route('GET', '/empty', () => ({ status: 204 }));
    });
    const text = await fetch(`${server.url}/text`);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await text.text()).toBe('plain');
    const csv = await fetch(`${server.url}/csv`);
    expect(csv.status).toBe(202);
    expect(csv.headers.get('content-type')).toBe('text/csv');
    expect(csv.headers.get('x-rows')).toBe('1');
    expect(await csv.text()).toBe('a,b\n');
    const empty = await fetch(`${server.url}/empty`);
    expect(empty.status).toBe(204);
  });

  it('answers an HttpError a handler throws with its status and code', async () => {
    const { server } = await serveRouter({}, (router) => {
      router.route('GET', '/alerts/:id', (request) => {
        throw new HttpError('HTTP_NOT_FOUND', `no alert ${request.params.id}`);
      });
    });
    const response = await fetch(`${server.url}/alerts/42`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: 'HTTP_NOT_FOUND', message: 'no alert 42' });
  });

  it('answers any other error 500 JSON without message or stack, and reports it to onError', async () => {
    const onError = vi.fn();
    const { server } = await serveRouter({ onError }, (router) => {
      router.route('GET', '/boom', async () => {
        throw new Error('password=hunter2 at db.internal:5432');
      });
    });
    const response = await fetch(`${server.url}/boom`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      code: 'HTTP_INTERNAL_ERROR',
      message: 'the monitoring endpoint failed; see the server logs',
    });
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('    at ');
    expect(onError).toHaveBeenCalledOnce();
    const [error, context] = onError.mock.calls[0] as [Error, BackgroundErrorContext];
    expect(error.message).toContain('hunter2');
    // One shape for every failure Vigil does not throw at the caller: the route is the operation.
    expect(context).toEqual({ source: 'MonitoringRouter', operation: 'GET /boom' });
  });

  it("names the route with the router's prefix, as declared, in onError", async () => {
    const onError = vi.fn();
    const { server } = await serveRouter({ onError, prefix: '/_vigil' }, (router) => {
      router.route('GET', '/boom/:n', () => {
        throw new TypeError('broken');
      });
    });
    expect((await fetch(`${server.url}/_vigil/boom/7`)).status).toBe(500);
    expect(onError.mock.calls[0]?.[1]).toEqual({
      source: 'MonitoringRouter',
      operation: 'GET /_vigil/boom/:n',
    });
  });

  it('still answers 500 when onError throws', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const { server } = await serveRouter(
      {
        onError: () => {
          throw new Error('logger down');
        },
      },
      (router) => {
        router.route('GET', '/boom', () => {
          throw new Error('broken');
        });
      },
    );
    expect((await fetch(`${server.url}/boom`)).status).toBe(500);
    expect(warn).toHaveBeenCalledOnce();
  });

  it('warns once per route about handler errors when no onError is given', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const { server } = await serveRouter({}, (router) => {
      router.route('GET', '/boom/:n', () => {
        throw new TypeError('broken');
      });
    });
    for (const n of [1, 2, 3]) expect((await fetch(`${server.url}/boom/${n}`)).status).toBe(500);
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toMatch(
      /^MonitoringRouter: GET \/boom\/:n failed in the background: broken/,
    );
    expect(warn.mock.calls[0]?.[1]).toEqual({
      type: 'VigilWarning',
      code: 'VIGIL_BACKGROUND_ERROR',
    });
  });

  it('answers 500 when a handler answers a bad status or header', async () => {
    const onError = vi.fn();
    const { server } = await serveRouter({ onError }, (router) => {
      router.route('GET', '/status', () => ({ status: 99 }));
      router.route('GET', '/header', () => ({ headers: { 'x-bad': 'a\nb' } }));
    });
    expect((await fetch(`${server.url}/status`)).status).toBe(500);
    expect((await fetch(`${server.url}/header`)).status).toBe(500);
    expect(onError).toHaveBeenCalledTimes(2);
  });

  describe('routes that change state', () => {
    const echo = (router: ReturnType<typeof createMonitoringRouter>) => {
      router.route('POST', '/alerts/:id/ack', async (request) => ({
        body: { id: request.params.id, body: await request.json() },
      }));
    };

    it('are off (403 HTTP_WRITES_DISABLED) when no token is configured', async () => {
      const { server } = await serveRouter({}, echo);
      const response = await fetch(`${server.url}/alerts/1/ack`, { method: 'POST', headers: auth });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: 'HTTP_WRITES_DISABLED' });
    });

    it('need the bearer token when one is configured', async () => {
      const { server } = await serveRouter({ token: TOKEN }, echo);
      const missing = await fetch(`${server.url}/alerts/1/ack`, { method: 'POST' });
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="vigil"');
      const ok = await fetch(`${server.url}/alerts/1/ack`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ by: 'ops' }),
      });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ id: '1', body: { by: 'ops' } });
    });

    it('read an empty body as undefined', async () => {
      const { server } = await serveRouter({ token: TOKEN }, echo);
      const response = await fetch(`${server.url}/alerts/1/ack`, { method: 'POST', headers: auth });
      expect(await response.json()).toEqual({ id: '1' });
    });

    it('answer 400, 415 and 413 to bad bodies', async () => {
      const { server } = await serveRouter({ token: TOKEN, maxBodyBytes: 64 }, echo);
      const post = (body: string, type: string) =>
        fetch(`${server.url}/alerts/1/ack`, {
          method: 'POST',
          headers: { ...auth, 'content-type': type },
          body,
        });
      const invalid = await post('{"by":', 'application/json');
      expect(invalid.status).toBe(400);
      expect(await invalid.json()).toMatchObject({ code: 'HTTP_INVALID_JSON' });
      const form = await post('by=ops', 'application/x-www-form-urlencoded');
      expect(form.status).toBe(415);
      expect(await form.json()).toMatchObject({ code: 'HTTP_UNSUPPORTED_MEDIA_TYPE' });
      const large = await post(JSON.stringify({ by: 'x'.repeat(100) }), 'application/json');
      expect(large.status).toBe(413);
      expect(await large.json()).toMatchObject({ code: 'HTTP_PAYLOAD_TOO_LARGE' });
      const chunked = await rawRequest(`${server.url}/alerts/1/ack`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        body: JSON.stringify({ by: 'x'.repeat(100) }),
      });
      expect(chunked.status).toBe(413);
    });

    it('use a body a framework parsed already (req.body after express.json())', async () => {
      const registry = new Registry();
      const router = createMonitoringRouter({ registry, token: TOKEN });
      echo(router);
      const server = await listen(async (req, res) => {
        for await (const _chunk of req as Readable) {
          // the "body parser" consumes the stream
        }
        (req as typeof req & { body: unknown }).body = { parsed: true };
        await router.handle(req, res);
      });
      try {
        const response = await fetch(`${server.url}/alerts/9/ack`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: '{"parsed":false}',
        });
        expect(await response.json()).toEqual({ id: '9', body: { parsed: true } });
      } finally {
        await server.close();
      }
    });

    it('can be declared read-only with changesState: false', async () => {
      const { server } = await serveRouter({}, (router) => {
        router.route('POST', '/query', () => ({ body: { ok: true } }), { changesState: false });
      });
      expect((await fetch(`${server.url}/query`, { method: 'POST' })).status).toBe(200);
    });
  });

  it('takes undefined for every optional option (the defaults apply)', async () => {
    const { server, router } = await serveRouter({
      health: undefined,
      prefix: undefined,
      token: undefined,
      protectReadEndpoints: undefined,
      healthOutputs: undefined,
      maxBodyBytes: undefined,
      onError: undefined,
    });
    expect(router.prefix).toBe('');
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });

  it('rejects bad options and routes with INVALID_OPTION', () => {
    const registry = new Registry();
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ registry, tokn: TOKEN }, /unknown option 'tokn'/],
      [{ registry: undefined }, /registry is required: a Registry from @vigil\/core/],
      [{ registry: {} }, /registry should be a Registry from @vigil\/core/],
      [{ registry, openMetrics: true }, /openMetrics should be one of "query", "negotiate"/],
      [{ registry, routes: {} }, /routes should be an array of route providers/],
      [{ registry, prefix: 'vigil' }, /prefix should be '' or a path/],
      [{ registry, token: 'short' }, /token should be at least 16 characters.*got a string of 5/],
      [{ registry, token: 'has spaces in it, quite long' }, /token should be/],
      [{ registry, protectReadEndpoints: true }, /protectReadEndpoints needs a token/],
      [{ registry, health: {} }, /health should be a HealthMonitor/],
      [{ registry, maxBodyBytes: -1 }, /maxBodyBytes should be a positive integer/],
      [{ registry, onError: 'log' }, /onError should be a function/],
    ];
    for (const [options, message] of bad) {
      const error = caught(() =>
        createMonitoringRouter(options as unknown as MonitoringRouterOptions),
      );
      expect(error).toBeInstanceOf(VigilError);
      expect(error).toMatchObject({ code: 'INVALID_OPTION' });
      expect((error as Error).message).toMatch(message);
    }
    const router = createMonitoringRouter({ registry });
    const handler = () => ({});
    expect(caught(() => router.route('GET', '/metrics', handler))).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringMatching(/GET \/metrics is already registered/),
    });
    expect(caught(() => router.route('TRACE' as 'GET', '/x', handler))).toMatchObject({
      message: expect.stringMatching(/method should be one of GET, POST/),
    });
    expect(caught(() => router.route('GET', 'x', handler))).toMatchObject({
      message: expect.stringMatching(/should start with '\/'/),
    });
    expect(caught(() => router.route('GET', '/a/:id/:id', handler))).toMatchObject({
      message: expect.stringMatching(/parameter :id appears twice/),
    });
    expect(
      caught(() => router.route('GET', '/a', handler, { writes: true } as never)),
    ).toMatchObject({
      message: expect.stringMatching(/unknown option 'writes'/),
    });
  });
});
