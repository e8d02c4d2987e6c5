import { spawnSync } from 'node:child_process';
import cluster, { type Worker } from 'node:cluster';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  forkReadyWorker,
  type ParsedSample,
  parseExposition,
  stopWorker,
} from '@vigil/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latencies, trueQuantile } from './fixtures/recordings.cjs';

// Real `node:cluster`: this test process is the primary, with the facade's AggregatorRegistry;
// the workers run test/fixtures/cluster-worker.cjs on the built facade or on prom-client itself.
const require = createRequire(import.meta.url);
const facade = require('../dist/index.cjs') as typeof import('prom-client');
const WORKER_SCRIPT = fileURLToPath(new URL('./fixtures/cluster-worker.cjs', import.meta.url));
const QUANTILES = [0.5, 0.9, 0.99];

function fork(index: number, client: 'facade' | 'prom-client'): Promise<Worker> {
  return forkReadyWorker({ INDEX: String(index), CLIENT: client });
}

function samplesOf(text: string): ParsedSample[] {
  // prom-client's text puts a blank line between families (the format allows it; the strict
  // parser, written for Vigil's own output, does not).
  const lines = text.replace(/\n\n+/g, '\n');
  return parseExposition(lines).families.flatMap((family) => family.samples);
}

function sampleValue(
  samples: readonly ParsedSample[],
  name: string,
  labels: Record<string, string>,
) {
  // prom-client's label order is the order values were given in: compare sorted.
  const key = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort());
  const found = samples.find((s) => s.name === name && key(s.labels) === key(labels));
  expect(found, `${name} ${JSON.stringify(labels)}`).toBeDefined();
  return found?.value as number;
}

/** Every observation of a route over the workers `indices` (route /b: latencies(index + 4)). */
function pooled(indices: readonly number[], offset: number): number[] {
  return indices.flatMap((index) => latencies(index + offset));
}

const workers: Worker[] = [];
let primary: InstanceType<typeof facade.AggregatorRegistry>;

beforeAll(async () => {
  cluster.setupPrimary({ exec: WORKER_SCRIPT, silent: false });
  primary = new facade.AggregatorRegistry();
  workers.push(...(await Promise.all([0, 1, 2, 3].map((index) => fork(index, 'facade')))));
});

afterAll(async () => {
  await Promise.all(
    Object.values(cluster.workers ?? {}).map((w) => (w ? stopWorker(w) : undefined)),
  );
});

describe('AggregatorRegistry with four real cluster workers', () => {
  it('gives summaries the quantiles of every observation pooled, within the sketch error', async () => {
    const text = await primary.clusterMetrics();
    const samples = samplesOf(text);
    const all = [0, 1, 2, 3];
    for (const [labels, offset] of [
      [{ route: '/a' }, 0],
      [{ method: 'GET', route: '/b' }, 4],
    ] as const) {
      const values = pooled(all, offset);
      for (const q of QUANTILES) {
        const estimate = sampleValue(samples, 'latency_seconds', {
          ...labels,
          quantile: String(q),
        });
        const truth = trueQuantile(values, q);
        expect(Math.abs(estimate - truth) / truth, `p${q * 100} of ${labels.route}`).toBeLessThan(
          0.01,
        );
      }
      expect(sampleValue(samples, 'latency_seconds_count', labels)).toBe(values.length);
      const sum = values.reduce((a, b) => a + b, 0);
      expect(sampleValue(samples, 'latency_seconds_sum', labels)).toBeCloseTo(sum, 6);
    }
    // The other aggregators are prom-client's.
    expect(sampleValue(samples, 'jobs_total', {})).toBe(1 + 2 + 3 + 4);
    expect(sampleValue(samples, 'queue_depth', {})).toBe(30);
    // `first` keeps one worker's summary as it is: its quantile is that worker's one observation.
    const first = sampleValue(samples, 'first_latency_seconds', { quantile: '0.5' });
    expect([1, 2, 3, 4]).toContain(first);
    expect(sampleValue(samples, 'first_latency_seconds_count', {})).toBe(1);
    // promtool (scripts/install-test-deps.sh installs it) accepts the text.
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: promtool.status, output: promtool.stderr + promtool.stdout }).toEqual({
      status: 0,
      output: '',
    });
  });

  it("falls back to prom-client's summed quantiles when a worker runs prom-client itself", async () => {
    const last = workers.pop() as Worker;
    await stopWorker(last);
    workers.push(await fork(3, 'prom-client'));
    const samples = samplesOf(await primary.clusterMetrics());
    const values = pooled([0, 1, 2, 3], 0);
    // Every worker's observations are counted, the prom-client one's too.
    expect(sampleValue(samples, 'latency_seconds_count', { route: '/a' })).toBe(values.length);
    // The quantiles are the sum of the four workers' own (as prom-client aggregates them): far
    // above the true pooled quantile, and above the slowest worker's own.
    const p99 = sampleValue(samples, 'latency_seconds', { route: '/a', quantile: '0.99' });
    expect(p99).toBeGreaterThan(1.2 * trueQuantile(latencies(3), 0.99));
    expect(p99).toBeGreaterThan(1.2 * trueQuantile(values, 0.99));
  });
});
