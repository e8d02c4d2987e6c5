import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index.js';
import { dropSchema, postgresUrl, uniqueSchema } from './support/postgres.js';

// The child runs the built package (dist/), as a host application would.
const writer = fileURLToPath(new URL('./support/acknowledged-writer.mjs', import.meta.url));
const ACKS = 150;
let schema: string;

afterEach(async () => {
  await dropSchema(schema);
});

/** Runs the writer until it has acknowledged `count` writes, then SIGKILLs it. */
function writeThenKill(count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, postgresUrl(), schema], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: string[] = [];
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      acks.push(...lines);
      if (acks.length >= count && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`the writer exited with ${code} before the kill: ${stderr}`));
    });
  });
}

describe('PostgresStore durability', () => {
  it('keeps every acknowledged write after the host is killed with SIGKILL', async () => {
    schema = uniqueSchema();
    const acks = await writeThenKill(ACKS);
    expect(acks.length).toBeGreaterThanOrEqual(ACKS);
    const store = new PostgresStore({ url: postgresUrl(), schema });
    try {
      const t = Date.UTC(2026, 0, 1);
      const [series] = await store.timeSeries.query({
        metric: 'acked',
        from: t,
        to: t + 1_000_000,
        step: 1,
      });
      const points = new Map(series?.points ?? []);
      for (const ack of acks) {
        const [kind, index] = ack.split(' ') as [string, string];
        const i = Number(index);
        if (kind === 'point') expect(points.get(t + i), ack).toBe(i);
        else if (kind === 'record') {
          expect(await store.records.get('acked', `k${i}`), ack).toMatchObject({ value: { i } });
        } else {
          expect(await store.deadLetters.get(`d${i}`), ack).toMatchObject({ payload: { i } });
        }
      }
    } finally {
      await store.close();
    }
  });
});
