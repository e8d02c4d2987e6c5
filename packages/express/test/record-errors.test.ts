import { Registry, VigilError } from '@vigil/core';
import { errorType } from '@vigil/http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { vigil, vigilErrors } from '../src/index.js';
import { requestSeries } from './support/series.js';
import { closeAll, serve } from './support/serve.js';

afterEach(closeAll);

class DatabaseError extends Error {}

/** An app whose `/api/…` routes fail in different ways; `withErrors` adds `vigilErrors()`. */
function failingApp(registry: Registry, withErrors: boolean) {
  const app = express();
  app.set('env', 'test'); // finalhandler: no stack traces on stderr
  app.use(vigil({ registry }));
  const api = express.Router();
  api.get('/sync/:id', () => {
    throw new TypeError('cannot read id');
  });
  api.get('/async/:id', async () => {
    await Promise.resolve();
    throw new DatabaseError('connection refused');
  });
  api.get('/named', () => {
    const error = new Error('gone');
    error.name = 'AbortError';
    throw error;
  });
  api.get('/string', () => {
    throw 'not an Error';
  });
  api.get('/missing', (_req, _res, next) =>
    next(Object.assign(new Error('nope'), { status: 404 })),
  );
  app.use('/api', api);
  if (withErrors) app.use(vigilErrors());
  return app;
}

async function status(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
}

describe('errors', () => {
  it('records a thrown error as a 500 with error_type "500" without vigilErrors()', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const { url } = await serve(failingApp(registry, false));

    expect(await status(`${url}/api/sync/1`)).toBe(500);
    expect(await status(`${url}/api/async/2`)).toBe(500);

    expect(requestSeries(registry)).toEqual([
      { method: 'GET', route: '/api/sync/:id', status: '500', errorType: '500', count: 1 },
      { method: 'GET', route: '/api/async/:id', status: '500', errorType: '500', count: 1 },
    ]);
  });

  it("records the error's class as error_type with vigilErrors()", async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const { url } = await serve(failingApp(registry, true));

    for (const path of ['/api/sync/1', '/api/async/2', '/api/named', '/api/string']) {
      expect(await status(`${url}${path}`)).toBe(500);
    }
    expect(await status(`${url}/api/missing`)).toBe(404);

    expect(requestSeries(registry)).toEqual([
      { method: 'GET', route: '/api/sync/:id', status: '500', errorType: 'TypeError', count: 1 },
      {
        method: 'GET',
        route: '/api/async/:id',
        status: '500',
        errorType: 'DatabaseError',
        count: 1,
      },
      { method: 'GET', route: '/api/named', status: '500', errorType: 'AbortError', count: 1 },
      { method: 'GET', route: '/api/string', status: '500', errorType: '_OTHER', count: 1 },
      // A 4xx is the client's error, not the server's: no error_type, as the conventions say.
      { method: 'GET', route: '/api/missing', status: '404', errorType: '', count: 1 },
    ]);
  });

  it('passes the error on to the next error handler', async () => {
    const registry = new Registry();
    const app = express();
    app.use(vigil({ registry }));
    app.get('/fail', () => {
      throw new RangeError('out of range');
    });
    app.use(vigilErrors());
    app.use(
      (error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) =>
        void res.status(503).send(`handled ${error.name}`),
    );
    const { url } = await serve(app);

    const response = await fetch(`${url}/fail`);
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('handled RangeError');
    expect(requestSeries(registry)).toEqual([
      { method: 'GET', route: '/fail', status: '503', errorType: 'RangeError', count: 1 },
    ]);
  });

  it('records a 5xx the app answered on purpose with its status code as error_type', async () => {
    const registry = new Registry();
    const app = express();
    app.use(vigil({ registry }));
    app.get('/unavailable', (_req, res) => void res.status(503).send('try later'));
    app.use(vigilErrors());
    const { url } = await serve(app);

    expect(await status(`${url}/unavailable`)).toBe(503);
    expect(requestSeries(registry)).toEqual([
      { method: 'GET', route: '/unavailable', status: '503', errorType: '503', count: 1 },
    ]);
  });

  it("labels a VigilError by its class, as @vigil/http's errorType() and every adapter do", async () => {
    class BreakerOpenError extends VigilError {
      static override readonly brand = 'vigil.test.BreakerOpenError';
      constructor() {
        super('BREAKER_OPEN', 'the circuit is open');
      }
    }
    const registry = new Registry();
    const app = express();
    app.set('env', 'test');
    app.use(vigil({ registry }));
    app.get('/partner', () => {
      throw new BreakerOpenError();
    });
    app.use(vigilErrors());
    const { url } = await serve(app);

    expect(await status(`${url}/partner`)).toBe(500);
    expect(errorType(new BreakerOpenError())).toBe('BreakerOpenError');
    expect(requestSeries(registry)).toEqual([
      { method: 'GET', route: '/partner', status: '500', errorType: 'BreakerOpenError', count: 1 },
    ]);
  });

  it('needs vigilErrors() inside a mounted sub-app that has its own error handler', async () => {
    const registry = new Registry();
    const subApp = (withErrors: boolean) => {
      const admin = express();
      admin.get('/reindex', () => {
        throw new RangeError('index gone');
      });
      if (withErrors) admin.use(vigilErrors());
      admin.use(
        (
          _error: Error,
          _req: express.Request,
          res: express.Response,
          _next: express.NextFunction,
        ) => void res.status(500).send('admin failed'),
      );
      return admin;
    };
    const app = express();
    app.use(vigil({ registry }));
    app.use('/hidden', subApp(false));
    app.use('/seen', subApp(true));
    app.use(vigilErrors()); // never reached: the sub-apps answer their own errors
    const { url } = await serve(app);

    expect(await status(`${url}/hidden/reindex`)).toBe(500);
    expect(await status(`${url}/seen/reindex`)).toBe(500);
    expect(requestSeries(registry)).toEqual([
      { method: 'GET', route: '/hidden/reindex', status: '500', errorType: '500', count: 1 },
      { method: 'GET', route: '/seen/reindex', status: '500', errorType: 'RangeError', count: 1 },
    ]);
  });
});
