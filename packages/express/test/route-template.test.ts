import { Registry } from '@vigil/core';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { vigil } from '../src/index.js';
import { requestSeries } from './support/series.js';
import { closeAll, serve } from './support/serve.js';

afterEach(closeAll);

function newApp(
  registry: Registry,
  route?: (req: express.Request, template: string | undefined) => string | undefined,
) {
  const app = express();
  app.use(vigil({ registry, route }));
  return app;
}

async function get(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
}

/** `route → count` of the requests recorded, for routes answered with `status`. */
function routes(registry: Registry, status = '200'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const series of requestSeries(registry)) {
    if (series.status === status) out[series.route] = (out[series.route] ?? 0) + series.count;
  }
  return out;
}

describe('the route template', () => {
  it('is the full template through nested routers, never the raw path', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const app = newApp(registry);
    const items = express.Router();
    items.get('/items/:itemId', (_req, res) => void res.send('item'));
    const api = express.Router();
    api.get('/users/:id', (req, res) => void res.send(`user ${req.params.id}`));
    api.use('/v2', items);
    app.use('/api', api);
    app.get('/', (_req, res) => void res.send('home'));
    const { url } = await serve(app);

    for (const id of [1, 2, 3]) expect(await get(`${url}/api/users/${id}`)).toBe(200);
    expect(await get(`${url}/api/v2/items/abc`)).toBe(200);
    expect(await get(`${url}/api/v2/items/def?x=1`)).toBe(200);
    expect(await get(url)).toBe(200);

    expect(routes(registry)).toEqual({
      '/api/users/:id': 3,
      '/api/v2/items/:itemId': 2,
      '/': 1,
    });
  });

  it('keeps the router prefix when the route throws and an app-level handler answers', async () => {
    // Express restores req.baseUrl when the error leaves the nested router: reading it when the
    // response closes would record '/boom' (express-prom-bundle's lost-prefix bug).
    const registry = new Registry({ onInvalid: 'throw' });
    const app = newApp(registry);
    const api = express.Router();
    api.get('/boom/:id', () => {
      throw new Error('boom');
    });
    api.get('/next/:id', (_req, _res, next) => next(new Error('passed on')));
    app.use('/api', api);
    app.use(
      (_error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) =>
        void res.status(502).send(`failed under '${req.baseUrl}'`),
    );
    const { url } = await serve(app);

    const response = await fetch(`${url}/api/boom/1`);
    expect(await response.text()).toBe("failed under ''");
    expect(await get(`${url}/api/next/2`)).toBe(502);

    expect(routes(registry, '502')).toEqual({ '/api/boom/:id': 1, '/api/next/:id': 1 });
  });

  it('is the mount path plus the route for a mounted sub-app', async () => {
    const registry = new Registry();
    const app = newApp(registry);
    const admin = express();
    admin.get('/stats/:period', (_req, res) => void res.send('stats'));
    app.use('/admin', admin);
    const { url } = await serve(app);

    expect(await get(`${url}/admin/stats/day`)).toBe(200);
    expect(routes(registry)).toEqual({ '/admin/stats/:period': 1 });
  });

  it("is the mount path for a nested router's '/' route", async () => {
    const registry = new Registry();
    const app = newApp(registry);
    const api = express.Router();
    api.get('/', (_req, res) => void res.send('index'));
    app.use('/api', api);
    const { url } = await serve(app);

    expect(await get(`${url}/api`)).toBe(200);
    expect(await get(`${url}/api/`)).toBe(200);
    expect(routes(registry)).toEqual({ '/api': 2 });
  });

  it('keeps Express 5 path syntax as written', async () => {
    const registry = new Registry();
    const app = newApp(registry);
    app.get('/files/*path', (_req, res) => void res.send('file'));
    app.get('/posts{/:slug}', (_req, res) => void res.send('post'));
    const { url } = await serve(app);

    expect(await get(`${url}/files/a/b/c.txt`)).toBe(200);
    expect(await get(`${url}/files/d.txt`)).toBe(200);
    expect(await get(`${url}/posts`)).toBe(200);
    expect(await get(`${url}/posts/hello`)).toBe(200);
    expect(routes(registry)).toEqual({ '/files/*path': 2, '/posts{/:slug}': 2 });
  });

  it('joins an array of paths with "," and writes a RegExp as its source, as OpenTelemetry does', async () => {
    const registry = new Registry();
    const app = newApp(registry);
    app.get(['/about', '/about-us'], (_req, res) => void res.send('about'));
    app.get(/^\/reports\/\d+$/, (_req, res) => void res.send('report'));
    const v1 = express.Router();
    v1.get(['/a/:id', '/b/:id'], (_req, res) => void res.send('ab'));
    app.use('/v1', v1);
    const { url } = await serve(app);

    expect(await get(`${url}/about`)).toBe(200);
    expect(await get(`${url}/about-us`)).toBe(200);
    expect(await get(`${url}/reports/1`)).toBe(200);
    expect(await get(`${url}/reports/22`)).toBe(200);
    expect(await get(`${url}/v1/b/9`)).toBe(200);
    expect(routes(registry)).toEqual({
      '/about,/about-us': 2,
      '/^\\/reports\\/\\d+$/': 2,
      '/v1/a/:id,/v1/b/:id': 1,
    });
  });

  it('is "" for 200 random URLs that match no route: one series, not 200', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const app = newApp(registry);
    const api = express.Router();
    api.get('/users/:id', (_req, res) => void res.send('user'));
    app.use('/api', api);
    app.use(express.static(import.meta.dirname, { index: false })); // a middleware, not a route
    const { url } = await serve(app);

    const paths = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0 ? `/wp-admin/${i}-${Math.random().toString(36).slice(2)}` : `/api/x${i}/y`,
    );
    const statuses = await Promise.all(paths.map((path) => get(`${url}${path}`)));
    expect(statuses.every((status) => status === 404)).toBe(true);

    expect(requestSeries(registry)).toEqual([
      { method: 'GET', route: '', status: '404', errorType: '', count: 200 },
    ]);
  });

  it('is "" for a path that only middleware answered', async () => {
    const registry = new Registry();
    const app = newApp(registry);
    app.use('/static', (_req, res) => void res.send('asset'));
    const { url } = await serve(app);

    expect(await get(`${url}/static/app.js`)).toBe(200);
    expect(await get(`${url}/static/app.css`)).toBe(200);
    expect(routes(registry)).toEqual({ '': 2 });
  });

  it('is what the route option makes of it, e.g. for a mount path with parameters', async () => {
    const registry = new Registry();
    const app = newApp(registry, (req, template) =>
      req.method === 'DELETE' ? 'deletes' : template?.replace(/^\/t\/[^/]+/, '/t/:tenant'),
    );
    const tenant = express.Router();
    tenant.get('/users/:id', (_req, res) => void res.send('user'));
    tenant.delete('/users/:id', (_req, res) => void res.send('deleted'));
    app.use('/t/:tenant', tenant);
    const { url } = await serve(app);

    expect(await get(`${url}/t/acme/users/1`)).toBe(200);
    expect(await get(`${url}/t/globex/users/2`)).toBe(200);
    expect((await fetch(`${url}/t/acme/users/3`, { method: 'DELETE' })).status).toBe(200);
    expect(await get(`${url}/t/acme/nothing`)).toBe(404);
    expect(routes(registry)).toEqual({ '/t/:tenant/users/:id': 2, deletes: 1 });
    expect(routes(registry, '404')).toEqual({ '': 1 });
  });

  it('leaves req.route readable and writable as Express made it', async () => {
    const registry = new Registry();
    const app = newApp(registry);
    const api = express.Router();
    api.get(
      '/users/:id',
      (req, res) => void res.json({ path: req.route?.path, keys: 'route' in req }),
    );
    app.use('/api', api);
    const { url } = await serve(app);

    const response = await fetch(`${url}/api/users/7`);
    expect(await response.json()).toEqual({ path: '/users/:id', keys: true });
  });
});
