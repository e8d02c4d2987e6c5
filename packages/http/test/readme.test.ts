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

/** Runs the README's `node:http` example (on port 0) and answers the URL it prints. */
function runExample(): Promise<string> {
  const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
  if (code === undefined) throw new Error('README.md has no js example');
  // Resolved from the package directory, so `@vigil/http` is this package's build.
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
  it('runs: it serves /hello, records it, and exposes the metrics', async () => {
    const metricsUrl = await runExample();
    const base = metricsUrl.replace('/_vigil/metrics', '');
    expect(await (await fetch(`${base}/hello`)).text()).toBe('hello\n');
    expect((await fetch(`${base}/wp-login.php`)).status).toBe(404);
    const text = await (await fetch(metricsUrl)).text();
    expect(text).toContain(
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/hello",http_response_status_code="200",error_type=""} 1',
    );
    expect(text).toContain(
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="",http_response_status_code="404",error_type=""} 1',
    );
    expect(text).toContain('http_server_active_requests{http_request_method="GET"} 0');
  });
});
