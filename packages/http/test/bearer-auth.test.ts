import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeServers, serveRouter } from './support/serve-router.js';

// Spy on timingSafeEqual while keeping its behaviour, to see what the check compares.
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const TOKEN = 's3cr3t-token-0123456789abcdef';

afterEach(async () => {
  vi.mocked(crypto.timingSafeEqual).mockClear();
  await closeServers();
});

describe('bearer token on the read endpoints (protectReadEndpoints)', () => {
  it('answers 401 HTTP_UNAUTHORIZED with WWW-Authenticate when the token is missing', async () => {
    const { server } = await serveRouter({ token: TOKEN, protectReadEndpoints: true });
    for (const headers of [
      {},
      { authorization: `Basic ${btoa('u:p')}` },
      { authorization: 'Bearer' },
    ]) {
      const response = await fetch(`${server.url}/metrics`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="vigil"');
      expect(await response.json()).toEqual({
        code: 'HTTP_UNAUTHORIZED',
        message: 'this endpoint needs Authorization: Bearer <token>',
      });
    }
    expect(crypto.timingSafeEqual).not.toHaveBeenCalled();
  });

  it('answers 401 with error="invalid_token" when the token is wrong', async () => {
    const { server } = await serveRouter({ token: TOKEN, protectReadEndpoints: true });
    for (const wrong of ['x', `${TOKEN}x`, TOKEN.slice(0, -1), TOKEN.toUpperCase()]) {
      const response = await fetch(`${server.url}/metrics`, {
        headers: { authorization: `Bearer ${wrong}` },
      });
      expect(response.status, wrong).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(
        'Bearer realm="vigil", error="invalid_token"',
      );
      expect(await response.json()).toMatchObject({ code: 'HTTP_UNAUTHORIZED' });
    }
  });

  it('serves the request when the token is right (the scheme is case-insensitive)', async () => {
    const { server } = await serveRouter({ token: TOKEN, protectReadEndpoints: true });
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await fetch(`${server.url}/metrics`, {
        headers: { authorization: `${scheme} ${TOKEN}` },
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('jobs_total 3');
    }
  });

  it('compares equal-length SHA-256 digests with crypto.timingSafeEqual, whatever the length sent', async () => {
    const { server } = await serveRouter({ token: TOKEN, protectReadEndpoints: true });
    const sent = ['x', 'a'.repeat(500), TOKEN];
    for (const token of sent) {
      await (
        await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })
      ).text();
    }
    const calls = vi.mocked(crypto.timingSafeEqual).mock.calls;
    expect(calls).toHaveLength(sent.length);
    for (const [a, b] of calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
    const expected = crypto.createHash('sha256').update(TOKEN).digest();
    expect(calls.every(([, b]) => Buffer.compare(b as Buffer, expected) === 0)).toBe(true);
    expect(Buffer.compare(calls[2]?.[0] as Buffer, expected)).toBe(0);
  });

  it('leaves the read endpoints open when only a token is set', async () => {
    const { server } = await serveRouter({ token: TOKEN });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });
});
