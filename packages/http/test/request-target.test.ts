import type { IncomingMessage, ServerResponse } from 'node:http';
import { Registry } from '@vigil/core';
import { checks, HealthMonitor } from '@vigil/health';
import { rawTarget, requestTargets } from '@vigil/test-support';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitoringRouter } from '../src/index.js';
import { splitTarget } from '../src/request-target.js';
import { closeServers, serveRouter } from './support/serve-router.js';

afterEach(closeServers);

describe('splitTarget', () => {
  it.each([
    ['/metrics', '/metrics', ''],
    ['/metrics?format=prometheus', '/metrics', '?format=prometheus'],
    ['/metrics#x', '/metrics', ''],
    ['/metrics?format=prometheus#x', '/metrics', '?format=prometheus'],
    ['/metrics#x?format=json', '/metrics', ''],
    ['/metrics?a=1?b=2', '/metrics', '?a=1?b=2'],
    ['', '', ''],
  ])('splits %j into path %j and search %j', (target, path, search) => {
    expect(splitTarget(target)).toEqual({ path, search });
  });

  it('agrees with WHATWG URL parsing on where the query starts and ends', () => {
    fc.assert(
      fc.property(requestTargets(), (target) => {
        // Below a base path, so that a target such as `//x` is not read as a host.
        const url = new URL(`http://h/base${target}`);
        const { search } = splitTarget(target);
        // URL percent-encodes some characters of the query; the bounds are what matter.
        expect(search === '' || search === '?').toBe(url.search === '');
      }),
    );
  });
});

/** A `node:http` request and response pair, enough for `router.handle()`. */
function fakeExchange(url: string): {
  req: IncomingMessage;
  res: ServerResponse;
  ended: () => boolean;
} {
  let ended = false;
  const headers: Record<string, unknown> = {};
  const req = {
    url,
    method: 'GET',
    headers: {},
    readableEnded: true,
  } as unknown as IncomingMessage;
  const res = {
    statusCode: 200,
    headersSent: false,
    setHeader: (name: string, value: unknown) => {
      headers[name] = value;
    },
    getHeader: (name: string) => headers[name],
    end: () => {
      ended = true;
    },
  } as unknown as ServerResponse;
  return { req, res, ended: () => ended };
}

describe('MonitoringRouter request targets', () => {
  const health = new HealthMonitor({ checks: [checks.custom('ok', () => true)], cacheFor: 0 });

  it('answers exactly the targets matches() claims, for any target', async () => {
    const router = createMonitoringRouter({ registry: new Registry(), health, prefix: '/_vigil' });
    await fc.assert(
      fc.asyncProperty(requestTargets('/_vigil'), async (target) => {
        const { req, res, ended } = fakeExchange(target);
        const claimed = router.matches(target);
        const handled = await router.handle(req, res);
        expect(handled).toBe(claimed);
        expect(ended()).toBe(handled);
      }),
      { numRuns: 500 },
    );
  });

  it('answers or passes on every request over a real socket within a second', async () => {
    const { server } = await serveRouter({ health, prefix: '/_vigil' });
    await fc.assert(
      fc.asyncProperty(requestTargets('/_vigil'), async (target) => {
        const outcome = await rawTarget(server.url, target, 1_000);
        expect(outcome, target).not.toEqual({ timeout: true });
      }),
      { numRuns: 150 },
    );
  });
});
