import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

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
  // Resolved from the package directory, so `@vigil/express` is this package's build.
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
      const url = /http:\/\/127\.0\.0\.1:\d+\/metrics/.exec(output)?.[0];
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
