import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const EXAMPLE = join(import.meta.dirname, '..');

let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

/** Starts `src/main.ts` as `pnpm start` does (tsx), on `PORT=0`, and answers the URL it prints. */
function startMain(): Promise<string> {
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: EXAMPLE,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = child;
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    started.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output)?.[1];
      if (url !== undefined) resolve(url);
    });
    started.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    });
    started.on('exit', (code) => reject(new Error(`main.ts exited (${code}): ${errors}`)));
  });
}

describe('src/main.ts', () => {
  it('listens on 127.0.0.1, prints its URL, and exits cleanly on SIGTERM', async () => {
    const url = await startMain();
    expect(await (await fetch(url)).json()).toMatchObject({ hello: 'Vigil' });
    expect((await fetch(`${url}/_vigil/metrics`)).status).toBe(200);
    const running = child as ChildProcess;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
  });
});
