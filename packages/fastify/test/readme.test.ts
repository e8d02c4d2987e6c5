import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requestCount, sampleValue } from './support/samples.js';

const PACKAGE = join(import.meta.dirname, '..');

let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill();
  child = undefined;
});

/** Runs the README's example (on port 0) and answers the metrics URL it prints. */
function runExample(): Promise<string> {
  const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
  if (code === undefined) throw new Error('README.md has no js example');
  // Resolved from the package directory, so `@vigil/fastify` is this package's build.
  child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: PACKAGE,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = child;
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    started.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /http:\/\/127\.0\.0\.1:\d+\/_vigil\/metrics/.exec(output)?.[0];
      if (url !== undefined) resolve(url);
    });
    started.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    });
    started.on('exit', (code) => reject(new Error(`the example exited (${code}): ${errors}`)));
  });
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
