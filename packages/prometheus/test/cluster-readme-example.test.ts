import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseExposition } from '@vigil/test-support';
import { afterAll, describe, expect, it } from 'vitest';

// The README's cluster example, as a file (cluster workers run the primary's script again).
const EXAMPLE = fileURLToPath(new URL('./fixtures/cluster/readme-example.mjs', import.meta.url));

let child: ChildProcess | undefined;

function start(): Promise<string> {
  const running = spawn(process.execPath, [EXAMPLE], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = running;
  let output = '';
  let errors = '';
  return new Promise((resolve, reject) => {
    running.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /http:\/\/127\.0\.0\.1:\d+\/metrics/.exec(output)?.[0];
      if (url !== undefined) resolve(url);
    });
    running.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    });
    running.on('exit', (code) => reject(new Error(`the example exited (${code}): ${errors}`)));
  });
}

afterAll(async () => {
  if (child === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child?.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

describe('the README cluster example', () => {
  it('serves the two workers merged', async () => {
    const url = await start();
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = new Map(
      parseExposition(await response.text()).families.map((f) => [f.name, f]),
    );
    expect(families.get('jobs_total')?.samples[0]).toMatchObject({
      labels: { kind: 'email' },
      value: 10,
    });
    const count = families.get('job_seconds')?.samples.find((s) => s.name === 'job_seconds_count');
    expect(count?.value).toBe(200);
    const p99 = families.get('job_seconds')?.samples.find((s) => s.labels['quantile'] === '0.99');
    expect(p99?.value).toBeCloseTo(0.99, 1);
    const openMetrics = await (await fetch(`${url}?format=openmetrics`)).text();
    expect(openMetrics.endsWith('# EOF\n')).toBe(true);
  });
});
