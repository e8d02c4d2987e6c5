import { request as httpRequest } from 'node:http';
import { Registry, VigilError } from '@vigil/core';
import { errorType } from '@vigil/http';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { vigil } from '../src/index.js';
import { activeRequests, requestCount } from './support/samples.js';
import { closeApps, deferred, serve } from './support/serve.js';

afterEach(closeApps);

class PaymentError extends Error {}

describe('request metrics: errors', () => {
  it("sets error_type to the thrown error's class for a 500", async () => {
    const { url, registry } = await serve({}, (app) => {
      app.get('/pay', async () => {
        throw new PaymentError('card declined');
      });
      app.get('/type', async () => {
        throw new TypeError('x is undefined');
      });
    });
    expect((await fetch(`${url}/pay`)).status).toBe(500);
    expect((await fetch(`${url}/type`)).status).toBe(500);
    const text = await registry.metrics();
    expect(requestCount(text, { route: '/pay', status: '500', errorType: 'PaymentError' })).toBe(1);
    expect(requestCount(text, { route: '/type', status: '500', errorType: 'TypeError' })).toBe(1);
  });

  it('labels a VigilError by its class, the rule @vigil/http and every adapter share', async () => {
    class BreakerOpenError extends VigilError {
      static override readonly brand = 'vigil.test.BreakerOpenError';
      constructor() {
        super('BREAKER_OPEN', 'the circuit is open');
      }
    }
    const { url, registry } = await serve({}, (app) => {
      app.get('/partner', async () => {
        throw new BreakerOpenError();
      });
    });
    expect((await fetch(`${url}/partner`)).status).toBe(500);
    const text = await registry.metrics();
    expect(errorType(new BreakerOpenError())).toBe('BreakerOpenError');
    expect(
      requestCount(text, { route: '/partner', status: '500', errorType: 'BreakerOpenError' }),
    ).toBe(1);
    expect(
      requestCount(text, { route: '/partner', status: '500', errorType: 'BREAKER_OPEN' }),
    ).toBe(0);
  });

  it("uses a plain Error's code when it has one, e.g. a system error", async () => {
    const { url, registry } = await serve({}, (app) => {
      app.get('/db', async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
          code: 'ECONNREFUSED',
        });
      });
    });
    expect((await fetch(`${url}/db`)).status).toBe(500);
    const text = await registry.metrics();
    expect(requestCount(text, { route: '/db', status: '500', errorType: 'ECONNREFUSED' })).toBe(1);
  });

  it('sets error_type to the status code of a 5xx sent without an error', async () => {
    const { url, registry } = await serve({}, (app) => {
      app.get('/busy', async (_request, reply) => reply.code(503).send({ busy: true }));
    });
    expect((await fetch(`${url}/busy`)).status).toBe(503);
    const text = await registry.metrics();
    expect(requestCount(text, { route: '/busy', status: '503', errorType: '503' })).toBe(1);
  });

  it('leaves error_type empty for a thrown 4xx (the client erred, not the server)', async () => {
    const { url, registry } = await serve({}, (app) => {
      app.post(
        '/users',
        { schema: { body: { type: 'object', required: ['name'] } } },
        async () => 'created',
      );
      app.get('/gone', async () => {
        throw Object.assign(new Error('gone'), { statusCode: 410 });
      });
    });
    const invalid = await fetch(`${url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(invalid.status).toBe(400);
    expect((await fetch(`${url}/gone`)).status).toBe(410);
    const text = await registry.metrics();
    expect(requestCount(text, { method: 'POST', route: '/users', status: '400' })).toBe(1);
    expect(requestCount(text, { route: '/gone', status: '410' })).toBe(1);
  });

  it('records the status a custom error handler chose, with the error type', async () => {
    const { url, registry } = await serve({}, (app) => {
      app.setErrorHandler(async (_error, _request, reply) => reply.code(502).send('upstream'));
      app.get('/proxy', async () => {
        throw new PaymentError('upstream failed');
      });
    });
    expect((await fetch(`${url}/proxy`)).status).toBe(502);
    const text = await registry.metrics();
    expect(requestCount(text, { route: '/proxy', status: '502', errorType: 'PaymentError' })).toBe(
      1,
    );
  });
});

describe('request metrics: the active gauge', () => {
  it('counts a request while it runs and not after', async () => {
    const gate = deferred();
    const inside = deferred<number | undefined>();
    const { url, registry } = await serve({}, (app) => {
      app.get('/work', async () => {
        inside.resolve(activeRequests(await registry.metrics()));
        await gate.promise;
        return 'done';
      });
    });
    const response = fetch(`${url}/work`);
    expect(await inside.promise).toBe(1);
    gate.resolve();
    expect((await response).status).toBe(200);
    expect(activeRequests(await registry.metrics())).toBe(0);
  });

  it('ends a request the client abandoned: status "" and error_type aborted', async () => {
    const started = deferred();
    const closed = deferred();
    const gate = deferred();
    const { url, registry } = await serve({}, (app) => {
      app.get('/slow/:id', async (_request, reply) => {
        // Registered after the plugin's listener, so it runs after it.
        reply.raw.once('close', () => closed.resolve());
        started.resolve();
        await gate.promise;
        return 'late';
      });
    });
    const controller = new AbortController();
    const response = fetch(`${url}/slow/1`, { signal: controller.signal });
    await started.promise;
    controller.abort();
    await expect(response).rejects.toThrow();
    await closed.promise;
    const text = await registry.metrics();
    expect(activeRequests(text)).toBe(0);
    expect(requestCount(text, { route: '/slow/:id', status: '', errorType: 'aborted' })).toBe(1);
    gate.resolve();
  });

  it('ends an abandoned POST whose body was already read (onRequestAbort misses those)', async () => {
    const started = deferred();
    const closed = deferred();
    const gate = deferred();
    const { url, registry } = await serve({}, (app) => {
      app.post('/upload', async (request, reply) => {
        reply.raw.once('close', () => closed.resolve());
        expect(request.body).toEqual({ size: 3 });
        started.resolve();
        await gate.promise;
        return 'stored';
      });
    });
    const req = httpRequest(`${url}/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    req.on('error', () => {});
    req.end(JSON.stringify({ size: 3 }));
    await started.promise;
    req.destroy();
    await closed.promise;
    const text = await registry.metrics();
    expect(activeRequests(text, 'POST')).toBe(0);
    expect(
      requestCount(text, { method: 'POST', route: '/upload', status: '', errorType: 'aborted' }),
    ).toBe(1);
    gate.resolve();
  });

  it('ends a request whose client left while an earlier onRequest hook was waiting', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const gone = deferred();
    const handled = deferred();
    const app = Fastify({ forceCloseConnections: true });
    // The app's own async hook, registered before the plugin, so it runs first.
    app.addHook('onRequest', async (_request, reply) => {
      reply.raw.once('close', () => gone.resolve());
      await gone.promise;
    });
    await app.register(vigil, { registry });
    app.get('/auth/:id', async () => {
      handled.resolve();
      return 'too late';
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const controller = new AbortController();
      const response = fetch(`${url}/auth/1`, { signal: controller.signal });
      response.catch(() => {});
      // Abort as soon as the server has the request: the app's hook is waiting for the close.
      await new Promise<void>((resolve) => app.server.once('request', () => resolve()));
      controller.abort();
      await handled.promise;
      const text = await registry.metrics();
      expect(activeRequests(text)).toBe(0);
      expect(requestCount(text, { route: '/auth/:id', status: '', errorType: 'aborted' })).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('records the status of a response cut off after its headers were sent', async () => {
    const { url, registry } = await serve({}, (app) => {
      app.get('/stream', (_request, reply) => {
        reply.hijack();
        reply.raw.writeHead(200, { 'content-type': 'text/plain' });
        reply.raw.write('partial');
        reply.raw.destroy();
      });
    });
    await expect(fetch(`${url}/stream`).then((response) => response.text())).rejects.toThrow();
    const text = await registry.metrics();
    expect(requestCount(text, { route: '/stream', status: '200', errorType: 'aborted' })).toBe(1);
    expect(activeRequests(text)).toBe(0);
  });

  it('ends the requests still running when app.close() closes their connections', async () => {
    const started = deferred();
    const gate = deferred();
    const { app, url, registry } = await serve({}, (app) => {
      app.get('/hang', async () => {
        started.resolve();
        await gate.promise;
        return 'never sent';
      });
    });
    const response = fetch(`${url}/hang`);
    response.catch(() => {});
    await started.promise;
    expect(activeRequests(await registry.metrics())).toBe(1);
    await app.close();
    await expect(response).rejects.toThrow();
    const text = await registry.metrics();
    expect(activeRequests(text)).toBe(0);
    expect(requestCount(text, { route: '/hang', status: '', errorType: 'aborted' })).toBe(1);
    gate.resolve();
  });
});
