import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDatabases, tempDatabase } from './support/sqlite-files.js';

const here = dirname(fileURLToPath(import.meta.url));
const child = join(here, 'support', 'sqlite-crash-child.mjs');
const built = join(here, '..', 'dist', 'sqlite', 'index.js');

const ROUNDS = 5;
const JOBS_PER_ROUND = 400;

afterEach(() => removeTempDatabases());

interface Run {
  /** Ids the child printed as acknowledged. */
  readonly acked: string[];
  /** Whether it was killed (else it finished on its own). */
  readonly killed: boolean;
  readonly drained: boolean;
  readonly stderr: string;
}

/**
 * Runs the child; with `killAfter`, SIGKILLs it that many ms after it said it was ready. A
 * process that finishes early is not waited on by a timer; the kill is an event, not a sleep the
 * test relies on to pass.
 */
function runChild(args: string[], killAfter: number | undefined): Promise<Run> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, [child, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let drained = false;
    let pending = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    process_.stdout.setEncoding('utf8');
    process_.stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready' && killAfter !== undefined) {
          timer = setTimeout(() => process_.kill('SIGKILL'), killAfter);
        } else if (line.startsWith('acked ')) acked.push(line.slice(6));
        else if (line === 'drained') drained = true;
      }
    });
    process_.stderr.setEncoding('utf8');
    process_.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    process_.on('error', reject);
    process_.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL' && code !== 0) {
        reject(new Error(`the child exited with ${code ?? signal}: ${stderr}`));
        return;
      }
      resolve({ acked, killed: signal === 'SIGKILL', drained, stderr });
    });
  });
}

describe('sqliteBackend under SIGKILL', () => {
  it('runs every acknowledged job at least once, through kills at random points', async () => {
    if (!existsSync(built)) {
      throw new Error(
        'this test runs the built package: run `pnpm --filter @vigil/jobs build` first',
      );
    }
    if (newestSource(join(here, '..', 'src')) > statSync(built).mtimeMs) {
      console.warn('sqlite crash test: dist/ is older than src/, so this tests the last build');
    }
    const path = tempDatabase();
    const log = join(dirname(path), 'side-effects.log');
    const acked = new Set<string>();
    const rounds: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const killAfter = Math.floor(Math.random() * 80);
      const run = await runChild(
        [path, log, 'enqueue', String(JOBS_PER_ROUND), String(round * JOBS_PER_ROUND)],
        killAfter,
      );
      for (const id of run.acked) acked.add(id);
      rounds.push(
        `${run.killed ? 'killed' : 'finished'} after ${killAfter} ms, ${run.acked.length} acked`,
      );
    }
    const final = await runChild([path, log, 'drain'], undefined);
    expect(final.drained).toBe(true);

    const runs = new Map<string, number>();
    for (const id of readFileSync(log, 'utf8').split('\n')) {
      if (id !== '') runs.set(id, (runs.get(id) ?? 0) + 1);
    }
    const lost = [...acked].filter((id) => !runs.has(id));
    const duplicates = [...runs.values()].filter((count) => count > 1).length;
    console.log(
      `sqlite crash test: ${rounds.join('; ')}. ${acked.size} acknowledged, ${runs.size} ran, ${duplicates} ran more than once (at-least-once allows it), ${lost.length} lost`,
    );
    expect(acked.size).toBeGreaterThan(0);
    expect(lost).toEqual([]);
  }, 60_000);
});

/** The latest modification time of a file under `directory`, in ms. */
function newestSource(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}
