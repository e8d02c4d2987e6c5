import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A README example running in a child process. */
export interface RunningExample {
  /** The first match of `printed` in what the example printed (usually its URL). */
  readonly printed: string;
  stop(): void;
}

/**
 * Runs the first ```js block of `packageDir`'s README.md as an ES module in a child process, from
 * the package directory (so the package resolves to its own build), with `PORT=0`; resolves once
 * the example prints something matching `printed`, rejects if it exits first.
 */
export function runReadmeExample(packageDir: string, printed: RegExp): Promise<RunningExample> {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
  if (code === undefined) throw new Error(`${packageDir}/README.md has no js example`);
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: packageDir,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () => void child.kill();
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = printed.exec(output)?.[0];
      if (match !== undefined) resolve({ printed: match, stop });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    });
    child.on('exit', (code) => reject(new Error(`the example exited (${code}): ${errors}`)));
  });
}
