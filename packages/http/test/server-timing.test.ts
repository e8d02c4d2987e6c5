import { Registry } from '@vigil/core';
import { createTimers, currentScope, timingScope } from '@vigil/timers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchWithServerTiming, runWithServerTiming, serverTimingHeader } from '../src/index.js';
import { listen, type TestServer } from './support/listen.js';

let server: TestServer | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

describe('serverTimingHeader', () => {
  it('renders the active scope, and nothing outside one', () => {
    expect(serverTimingHeader()).toBe('');
    const header = timingScope((scope) => {
      scope.add('db', 12.3);
      scope.add('api', 40.1);
      scope.add('db', 1);
      return serverTimingHeader();
    });
    expect(header).toBe('db;dur=13.3, api;dur=40.1');
  });
});

describe('runWithServerTiming (node:http)', () => {
  it('sets Server-Timing from the timers that stopped before the response was written', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const timers = createTimers(new Registry());
    server = await listen((_req, res) => {
      runWithServerTiming(res, async () => {
        const db = timers.db('select', 'users', 'SELECT * FROM users WHERE id = 1');
        vi.advanceTimersByTime(12.3);
        db.end();
        await Promise.resolve();
        const api = timers.api('/users/:id', 'GET');
        vi.advanceTimersByTime(40.1);
        api.end();
        res.end('ok');
      });
    });
    const response = await fetch(`${server.url}/users/1`);
    expect(response.headers.get('server-timing')).toBe('db;dur=12.3, api;dur=40.1');
    expect(await response.text()).toBe('ok');
  });

  it('appends to a Server-Timing header the app set, also through an explicit writeHead', async () => {
    server = await listen((_req, res) => {
      runWithServerTiming(res, () => {
        currentScope()?.add('cache', 0.5);
        res.setHeader('Server-Timing', 'app;desc="edge"');
        res.writeHead(201, { 'content-type': 'text/plain' });
        res.end('made');
      });
    });
    const response = await fetch(server.url);
    expect(response.status).toBe(201);
    expect(response.headers.get('server-timing')).toBe('app;desc="edge", cache;dur=0.5');
  });

  it('adds no header when no timer ran, and nothing at all when not used', async () => {
    let scopeSeen: unknown = 'unset';
    server = await listen((req, res) => {
      if (req.url === '/on') runWithServerTiming(res, () => res.end());
      else {
        scopeSeen = currentScope();
        res.end();
      }
    });
    expect((await fetch(`${server.url}/on`)).headers.has('server-timing')).toBe(false);
    expect((await fetch(`${server.url}/off`)).headers.has('server-timing')).toBe(false);
    expect(scopeSeen).toBeUndefined();
  });
});

describe('fetchWithServerTiming (fetch API)', () => {
  it('adds Server-Timing to the handler response', async () => {
    const response = await fetchWithServerTiming(async () => {
      currentScope()?.add('db', 2.25);
      return new Response('ok', { headers: { 'content-type': 'text/plain' } });
    });
    expect(response.headers.get('server-timing')).toBe('db;dur=2.25');
    expect(await response.text()).toBe('ok');
  });

  it('copies a response whose headers are immutable', async () => {
    const response = await fetchWithServerTiming(() => {
      currentScope()?.add('auth', 3);
      return Response.redirect('http://app.test/login', 307);
    });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('http://app.test/login');
    expect(response.headers.get('server-timing')).toBe('auth;dur=3');
  });

  it('returns the response untouched when no timer ran', async () => {
    const original = Response.json({ a: 1 });
    expect(await fetchWithServerTiming(() => original)).toBe(original);
    expect(original.headers.has('server-timing')).toBe(false);
  });
});
