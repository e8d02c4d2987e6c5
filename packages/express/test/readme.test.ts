import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningExample, runReadmeExample } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';

const PACKAGE = join(import.meta.dirname, '..');

let example: RunningExample | undefined;

afterEach(() => {
  example?.stop();
  example = undefined;
});

/** Runs the README's example (on port 0) and answers the metrics URL it prints. */
async function runExample(): Promise<string> {
  example = await runReadmeExample(PACKAGE, /http:\/\/127\.0\.0\.1:\d+\/metrics/);
  return example.printed;
}

describe('the README example', () => {
  it('runs and records what the README says it records', async () => {
    const metricsUrl = await runExample();
    const base = metricsUrl.replace('/metrics', '');
    expect(await (await fetch(`${base}/users/42`)).json()).toEqual({ id: '42' });
    expect((await fetch(`${base}/users/42/fail`)).status).toBe(500);
    expect((await fetch(`${base}/wp-login.php`)).status).toBe(404);
    const text = await (await fetch(metricsUrl)).text();
    const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
    const shown = /\n```\n(http_server[\s\S]*?)```/.exec(readme)?.[1]?.trim().split('\n') ?? [];
    expect(shown).toHaveLength(4);
    for (const line of shown) expect(text).toContain(`${line}\n`);
    const health = await fetch(`${base}/health`);
    expect(health.headers.get('content-type')).toMatch(/^application\/health\+json/);
    expect(await health.json()).toMatchObject({ status: 'pass' });
  });
});
