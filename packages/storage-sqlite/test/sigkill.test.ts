import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/index.js';
import { tempDatabase } from './support/sqlite-subject.js';

// Runs against the built package (dist/), like dual-build.test.ts: build first.
const WRITER = fileURLToPath(new URL('./fixtures/acknowledged-writer.mjs', import.meta.url));
const T0 = Date.UTC(2026, 0, 1);

interface Acknowledged {
  point: number;
  record: number;
  letter: number;
}

/** Starts the writer, kills it with SIGKILL once it acknowledged `writes` writes. */
function writeUntilKilled(path: string, writes: number): Promise<Acknowledged> {
  const child = spawn(process.execPath, [WRITER, path], { stdio: ['ignore', 'pipe', 'pipe'] });
  const last: Acknowledged = { point: -1, record: -1, letter: -1 };
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((resolve, reject) => {
    let count = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [ok, kind, index] = line.split(' ');
      if (ok !== 'ok') return;
      last[kind as keyof Acknowledged] = Number(index);
      if (++count === writes) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(last);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe('durability across SIGKILL', () => {
  const files: Array<{ remove(): void }> = [];
  afterEach(() => {
    for (const file of files.splice(0)) file.remove();
  });

  it('every acknowledged write is readable after the writer is killed mid-run', async () => {
    const file = tempDatabase();
    files.push(file);
    const acknowledged = await writeUntilKilled(file.path, 600);
    expect(acknowledged.letter).toBeGreaterThanOrEqual(100);

    const check = new Database(file.path, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();

    await using store = new SqliteStore({ path: file.path, retention: false });
    for (let i = 0; i <= acknowledged.record; i++) {
      expect((await store.records.get('kill', `r${i}`))?.value, `record ${i}`).toEqual({ i });
    }
    for (let i = 0; i <= acknowledged.letter; i++) {
      expect((await store.deadLetters.get(`d${i}`))?.payload, `letter ${i}`).toEqual({ i });
    }
    const series = await store.timeSeries.query({
      metric: 'kill',
      from: T0,
      to: T0 + (acknowledged.point + 1) * 100,
      step: 100,
      aggregation: 'sum',
    });
    expect(series).toHaveLength(10);
    // Every acknowledged batch: 100 points of value i spread over 10 series.
    const perBatch = new Map<number, number>();
    for (const { points } of series) {
      for (const [start, sum] of points) perBatch.set(start, (perBatch.get(start) ?? 0) + sum);
    }
    for (let i = 0; i <= acknowledged.point; i++) {
      expect(perBatch.get(T0 + i * 100), `batch ${i}`).toBe(100 * i);
    }
    // The rollups hold the same acknowledged points.
    const minutes = await store.timeSeries.query({
      metric: 'kill',
      from: T0,
      to: T0 + (acknowledged.point + 1) * 100,
      step: 60_000,
      aggregation: 'sum',
    });
    const total = minutes.reduce(
      (sum, { points }) => sum + points.reduce((s, [, v]) => s + v, 0),
      0,
    );
    expect(total).toBe(100 * ((acknowledged.point * (acknowledged.point + 1)) / 2));
  }, 60_000);
});
