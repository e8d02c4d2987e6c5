import { Registry } from '@vigil/core';
import { rawTarget, requestTargets } from '@vigil/test-support';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { closeApps, serve } from './support/serve.js';

afterEach(closeApps);

describe('vigil plugin request targets', () => {
  it('answers a monitoring path followed by a #fragment, unrecorded', async () => {
    const registry = new Registry();
    const { url } = await serve({ registry, prefix: '/_vigil' });
    expect(await rawTarget(url, '/_vigil/metrics?format=prometheus#x')).toEqual({ status: 200 });
    expect(await rawTarget(url, '/_vigil/metrics#x')).toHaveProperty('status');
    expect(await registry.metrics()).not.toContain('http_route="/_vigil/metrics"');
  });
});

describe('vigil plugin path handling, fuzzed', () => {
  it('answers every request target within a second', async () => {
    const { url } = await serve({ registry: new Registry(), prefix: '/_vigil' });
    await fc.assert(
      fc.asyncProperty(requestTargets('/_vigil'), async (target) => {
        // Fastify answers what is not a route with its 404 (or a 400), so a status is expected.
        expect(await rawTarget(url, target, 1_000), target).toHaveProperty('status');
      }),
      { numRuns: 200 },
    );
  });
});
