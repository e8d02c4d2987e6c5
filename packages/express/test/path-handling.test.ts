import { Registry } from '@vigil/core';
import { rawTarget, requestTargets } from '@vigil/test-support';
import express from 'express';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { vigil } from '../src/index.js';
import { closeAll, serve } from './support/serve.js';

afterEach(closeAll);

describe('vigil() request targets', () => {
  it('answers a monitoring path followed by a #fragment (it used to hang)', async () => {
    const app = express();
    app.use(vigil({ registry: new Registry(), prefix: '/_vigil' }));
    const { url } = await serve(app);
    expect(await rawTarget(url, '/_vigil/metrics#x')).toEqual({ status: 200 });
    expect(await rawTarget(url, '/_vigil/metrics?format=prometheus#x')).toEqual({ status: 200 });
    expect(await rawTarget(url, '/_vigil/metrics#x?format=json')).toEqual({ status: 200 });
  });
});

describe('vigil() path handling, fuzzed', () => {
  it('answers every request target or passes it to next() within a second', async () => {
    const app = express();
    app.use(vigil({ registry: new Registry(), prefix: '/_vigil' }));
    const { url } = await serve(app);
    await fc.assert(
      fc.asyncProperty(requestTargets('/_vigil'), async (target) => {
        // Express answers what vigil() passes on with its 404, so a status is always expected.
        expect(await rawTarget(url, target, 1_000), target).toHaveProperty('status');
      }),
      { numRuns: 200 },
    );
  });
});
