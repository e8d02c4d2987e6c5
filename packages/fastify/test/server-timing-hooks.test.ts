import { Agent, request as httpRequest } from 'node:http';
import { Registry } from '@vigil/core';
import { createTimers, type TimerGroup } from '@vigil/timers';
import { afterEach, describe, expect, it } from 'vitest';
import { closeApps, deferred, serve } from './support/serve.js';

afterEach(closeApps);

const DB_AND_API = /^db;dur=\d+(\.\d+)?, api;dur=\d+(\.\d+)?$/;

/** Stops a `db` then an `api` timer, the way a route's own code would. */
function work(timers: TimerGroup): void {
  {
    using _db = timers.db('select', 'users');
  }
  {
    using _api = timers.api('partner', 'GET');
  }
}

function setUp(serverTiming: boolean) {
  const registry = new Registry();
  const timers = createTimers(registry);
  return { registry, timers, options: { registry, serverTiming } };
}

describe('Server-Timing', () => {
  it('sets the header from the timers the route stopped, after an await', async () => {
    const { timers, options } = setUp(true);
    const { url } = await serve(options, (app) => {
      app.get('/users/:id', async () => {
        await Promise.resolve();
        work(timers);
        return { ok: true };
      });
    });
    const response = await fetch(`${url}/users/1`);
    expect(response.headers.get('server-timing')).toMatch(DB_AND_API);
  });

  it('keeps concurrent requests apart: each header has its own timers only', async () => {
    const { timers, options } = setUp(true);
    const gate = deferred();
    const arrived: string[] = [];
    const bothArrived = deferred();
    const { url } = await serve(options, (app) => {
      app.get('/jobs/:name', async (request) => {
        const { name } = request.params as { name: string };
        arrived.push(name);
        if (arrived.length === 2) bothArrived.resolve();
        await gate.promise;
        {
          using _t = timers.custom(name);
        }
        return name;
      });
    });
    const first = fetch(`${url}/jobs/alpha`);
    const second = fetch(`${url}/jobs/beta`);
    await bothArrived.promise;
    gate.resolve();
    expect((await first).headers.get('server-timing')).toMatch(/^alpha;dur=[\d.]+$/);
    expect((await second).headers.get('server-timing')).toMatch(/^beta;dur=[\d.]+$/);
  });

  it('keeps the scope through a body that arrives in pieces, on a keep-alive connection', async () => {
    const { timers, options } = setUp(true);
    const { url } = await serve(options, (app) => {
      app.post('/orders', async (request) => {
        work(timers);
        return request.body;
      });
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 2; i++) {
        const header = await new Promise<unknown>((resolve, reject) => {
          const req = httpRequest(
            `${url}/orders`,
            { agent, method: 'POST', headers: { 'content-type': 'application/json' } },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.headers['server-timing']));
            },
          );
          req.on('error', reject);
          req.flushHeaders();
          // The body follows the headers in later chunks, from the client's next ticks.
          setImmediate(() => {
            req.write('{"items":');
            setImmediate(() => req.end('[1]}'));
          });
        });
        expect(header).toMatch(DB_AND_API);
      }
    } finally {
      agent.destroy();
    }
  });

  it('appends to a Server-Timing header the route set', async () => {
    const { timers, options } = setUp(true);
    const { url } = await serve(options, (app) => {
      app.get('/cached', async (_request, reply) => {
        work(timers);
        reply.header('server-timing', 'cache;desc="hit"');
        return 'cached';
      });
    });
    const header = (await fetch(`${url}/cached`)).headers.get('server-timing') ?? '';
    expect(header.startsWith('cache;desc="hit", db;dur=')).toBe(true);
  });

  it('is sent with error responses too', async () => {
    const { timers, options } = setUp(true);
    const { url } = await serve(options, (app) => {
      app.get('/fail', async () => {
        work(timers);
        throw new Error('after the queries');
      });
    });
    const response = await fetch(`${url}/fail`);
    expect(response.status).toBe(500);
    expect(response.headers.get('server-timing')).toMatch(DB_AND_API);
  });

  it('is not sent when no timer ran, nor on the monitoring routes', async () => {
    const { options } = setUp(true);
    const { url } = await serve(options, (app) => {
      app.get('/plain', async () => 'plain');
    });
    expect((await fetch(`${url}/plain`)).headers.has('server-timing')).toBe(false);
    expect((await fetch(`${url}/metrics`)).headers.has('server-timing')).toBe(false);
  });

  it('is off by default', async () => {
    const { timers, options } = setUp(false);
    const { url } = await serve({ registry: options.registry }, (app) => {
      app.get('/users/:id', async () => {
        work(timers);
        return 'user';
      });
    });
    expect((await fetch(`${url}/users/1`)).headers.has('server-timing')).toBe(false);
  });
});
