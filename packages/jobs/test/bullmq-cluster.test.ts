import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { RedisStore } from '@vigil/storage-redis';
import { describe, expect, inject, it } from 'vitest';
import { bullmqBackend } from '../src/bullmq/index.js';
import { JobRunner } from '../src/index.js';
import { deleteKeys, uniquePrefix, until } from './support/bullmq.js';

const CHILD = join(import.meta.dirname, 'support', 'bullmq-worker-child.mjs');
const JOBS = 60;

function start(url: string, prefix: string, name: string, log: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CHILD, url, prefix, name, log], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker ${name} exited with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line === `ready ${name}`) resolve(child);
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** The log's lines as [event, job, worker]. */
function entries(log: string): string[][] {
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(' '));
}

/** The jobs started and not done, by the worker that started them. */
function running(log: string): Map<string, string> {
  const started = new Map<string, string>();
  for (const [event, job, worker] of entries(log)) {
    if (event === 'start') started.set(job as string, worker as string);
    if (event === 'done') started.delete(job as string);
  }
  return started;
}

// Three worker processes on one queue on real Redis; the test process only submits. One worker
// is SIGKILLed while it runs jobs: BullMQ finds them stalled, another worker runs them again.
describe('bullmq backend: three worker processes on real Redis', () => {
  it('recovers the jobs of a SIGKILLed worker: none lost, duplicates reported, side effects once', async () => {
    const url = inject('redisUrl');
    const prefix = uniquePrefix();
    const log = join(tmpdir(), `${prefix}.log`);
    writeFileSync(log, '');
    const store = new RedisStore({ url, keyPrefix: `${prefix}-store:` });
    const producer = new JobRunner({
      store,
      backend: bullmqBackend({ url, prefix, workers: false }),
      types: { order: { handler: () => undefined } },
    });
    const workers: ChildProcess[] = [];
    try {
      workers.push(
        ...(await Promise.all(['a', 'b', 'c'].map((name) => start(url, prefix, name, log)))),
      );
      for (let n = 0; n < JOBS; n++) {
        await producer.enqueue('order', { n, ms: 300 }, { idempotencyKey: `order-${n}` });
      }
      // The first worker seen running a job is killed in the middle of it.
      let victim = '';
      await until(
        () => {
          victim = [...running(log).values()][0] ?? '';
          return victim !== '';
        },
        'a job to start',
        30_000,
      );
      const killed = workers[['a', 'b', 'c'].indexOf(victim)] as ChildProcess;
      killed.kill('SIGKILL');
      await exited(killed);
      const cutOff = new Set(
        [...running(log)].flatMap(([job, worker]) => (worker === victim ? [job] : [])),
      );
      expect(cutOff.size).toBeGreaterThan(0);

      const done = (): Set<string> =>
        new Set(entries(log).flatMap(([event, job]) => (event === 'done' ? [job as string] : [])));
      await until(() => done().size === JOBS, `all ${JOBS} jobs to finish`, 30_000);

      const lines = entries(log);
      const starts = new Map<string, string[]>();
      const effects = new Map<string, number>();
      for (const [event, job, worker] of lines) {
        if (event === 'start')
          starts.set(job as string, [...(starts.get(job as string) ?? []), worker as string]);
        if (event === 'effect') effects.set(job as string, (effects.get(job as string) ?? 0) + 1);
      }
      // Nothing lost: every job done, by a worker still alive for the ones that were cut off.
      expect(done().size).toBe(JOBS);
      for (const job of cutOff) {
        const finishers = lines.filter(([event, j]) => event === 'done' && j === job);
        expect(finishers.map(([, , worker]) => worker)).not.toContain(victim);
      }
      // Duplicates: the cut-off jobs started twice, and the workers that ran them again said so.
      const duplicated = [...starts].filter(([, by]) => by.length > 1).map(([job]) => job);
      const recovered = lines.filter(([event]) => event === 'recovered');
      expect(new Set(duplicated)).toEqual(cutOff);
      expect(recovered).toHaveLength(cutOff.size);
      // The side effect guarded by the job's idempotency key happened once per job.
      expect([...effects.values()].every((count) => count === 1)).toBe(true);
      expect(effects.size).toBe(JOBS);
      expect(await producer.deadLetters.count()).toBe(0);
      console.log(
        `bullmq cluster: ${JOBS} jobs on 3 workers, ${victim} SIGKILLed with ${cutOff.size} running; ` +
          `${duplicated.length} started twice, ${recovered.length} reported recovered, ` +
          `${[...effects.values()].reduce((a, b) => a + b, 0)} side effects, 0 lost`,
      );
    } finally {
      const alive = workers.filter((child) => child.exitCode === null && child.signalCode === null);
      for (const child of alive) child.kill('SIGTERM');
      await Promise.all(alive.map(exited));
      await producer.close();
      await store.close();
      await deleteKeys(url, prefix);
      rmSync(log, { force: true });
    }
  }, 60_000);
});
