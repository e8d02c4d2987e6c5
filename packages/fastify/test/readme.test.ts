import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningExample, runReadmeExample } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { requestCount, sampleValue } from './support/samples.js';

const PACKAGE = join(import.meta.dirname, '..');

let example: RunningExample | undefined;

afterEach(() => {
  example?.stop();
  example = undefined;
});

/** Runs the README's example (on port 0) and answers the metrics URL it prints. */
async function runExample(): Promise<string> {
  example = await runReadmeExample(PACKAGE, /http:\/\/127\.0\.0\.1:\d+\/_vigil\/metrics/);
  return example.printed;
}

describe('the README example', () => {
  it('runs and records what the README says it records', async () => {
    const metricsUrl = await runExample();
    const base = metricsUrl.replace('/_vigil/metrics', '');
    expect(await (await fetch(`${base}/users/42`)).json()).toEqual({ id: '42' });
    expect((await fetch(`${base}/api/orders/7`)).status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/_vigil/health/live`)).status).toBe(200);
    const text = await (await fetch(metricsUrl)).text();
    expect(requestCount(text, { route: '/users/:id', status: '200' })).toBe(1);
    expect(requestCount(text, { route: '/api/orders/:id', status: '200' })).toBe(1);
    expect(requestCount(text, { route: '', status: '404' })).toBe(1);
    expect(sampleValue(text, 'http_server_active_requests{http_request_method="GET"}')).toBe(0);
    // The output block after the example: every line of it is in the scrape.
    const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
    const shown = /then\n`curl [^\n]*` shows:\n\n```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(shown.split('\n').filter(Boolean)).toHaveLength(4);
    for (const line of shown.split('\n').filter(Boolean)) expect(text).toContain(line);
  });
});
