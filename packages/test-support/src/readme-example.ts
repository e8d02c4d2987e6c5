import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A README example running in a child process. */
export interface RunningExample {
  /** The first match of `printed` in what the example printed (usually its URL). */
  readonly printed: string;
  /** What the example has written to stderr so far. */
  errors(): string;
  /** Whether the example's process is still running. */
  alive(): boolean;
  stop(): void;
}

/** Which README block `runReadmeExample` runs, and with what environment. */
export interface ReadmeExampleOptions {
  /**
   * The index among the README's ```ts and ```js blocks (a TypeScript block is transpiled
   * first); default: the first ```js block.
   */
  readonly block?: number;
  /** Environment variables added for the child, besides `PORT=0`. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs a README block of `packageDir` (the first ```js one unless told) as an ES module in a
 * child process, from the package directory (so the package resolves to its own build), with
 * `PORT=0`; resolves once the example prints something matching `printed`, rejects if it exits
 * first.
 */
export async function runReadmeExample(
  packageDir: string,
  printed: RegExp,
  { block, env = {} }: ReadmeExampleOptions = {},
): Promise<RunningExample> {
  const code = await readmeBlock(packageDir, block);
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: packageDir,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  let exited = false;
  const running: Omit<RunningExample, 'printed'> = {
    errors: () => errors,
    alive: () => !exited,
    stop: () => void child.kill(),
  };
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = printed.exec(output)?.[0];
      if (match !== undefined) resolve({ printed: match, ...running });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    });
    child.on('exit', (code) => {
      exited = true;
      reject(new Error(`the example exited (${code}): ${errors}`));
    });
  });
}

/** The code of README block `block` (among ```ts and ```js), or of the first ```js block. */
async function readmeBlock(packageDir: string, block: number | undefined): Promise<string> {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```(ts|js)\n([\s\S]*?)```/g)];
  const chosen =
    block === undefined ? blocks.find(([, language]) => language === 'js') : blocks[block];
  if (chosen === undefined) {
    throw new Error(
      `${packageDir}/README.md has no ${block === undefined ? 'js' : `block ${block}`} example`,
    );
  }
  const [, language, source = ''] = chosen;
  return language === 'ts' ? stripTypes(source) : source;
}

/** Which README block `runReadmeScript` runs, and how long it may take. */
export interface ReadmeScriptOptions {
  /** The index among the README's ```ts and ```js blocks; default 0, the first. */
  readonly block?: number;
  /** Environment variables added for the child. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs a ```ts or ```js block of `packageDir`'s README.md to completion, as an ES module in a
 * child process from the package directory (so the package resolves to its own build); a
 * TypeScript block is transpiled first (types stripped, nothing checked). Resolves with what it
 * printed once it exits 0; rejects with its stderr otherwise.
 */
export async function runReadmeScript(
  packageDir: string,
  { block = 0, env = {} }: ReadmeScriptOptions = {},
): Promise<string> {
  const code = await readmeBlock(packageDir, block);
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`the README block exited (${code}): ${errors}`));
    });
  });
}

async function stripTypes(source: string): Promise<string> {
  const ts = (await import('typescript')).default;
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}
