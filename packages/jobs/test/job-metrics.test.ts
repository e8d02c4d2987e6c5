import { Registry } from '@vigil/core';
import { parseExposition } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRunner } from '../src/index.js';
import { flush, gate, runnerOnClock, tick } from './support/runner.js';

const open: JobRunner[] = [];
afterEach(async () => {
  for (const jobs of open.splice(0)) await jobs.close({ timeout: 0 });
});

async function samples(registry: Registry): Promise<Map<string, number>> {
  const parsed = parseExposition(await registry.metrics());
  const values = new Map<string, number>();
  for (const family of parsed.families) {
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels)
        .map(([name, value]) => `${name}="${value}"`)
        .join(',');
      values.set(`${sample.name}{${labels}}`, sample.value);
    }
  }
  return values;
}

describe('job metrics', () => {
  it('counts outcomes by type, gauges queued and running, times waits and runs', async () => {
    const registry = new Registry();
    const hold = gate();
    const { jobs, clock } = runnerOnClock(
      {
        work: {
          concurrency: 1,
          handler: async (ms: number) => {
            if (ms < 0) await hold.promise;
          },
        },
        flaky: {
          timeout: 50,
          retry: { maxAttempts: 2, initialDelay: 10, jitter: 'none' },
          breaker: false,
          handler: (_: undefined, context) =>
            new Promise((_resolve, reject) => {
              context.signal.addEventListener('abort', () => reject(context.signal.reason));
            }),
        },
      },
      { registry },
    );
    open.push(jobs as unknown as JobRunner);
    const blocked = await jobs.run('work', -1);
    await jobs.enqueue('work', 0);
    await jobs.enqueue('work', 0);
    await flush();
    let values = await samples(registry);
    expect(values.get('vigil_jobs_queued{type="work"}')).toBe(2);
    expect(values.get('vigil_jobs_running{type="work"}')).toBe(1);
    await tick(clock, 250);
    hold.resolve();
    await blocked.result;
    await flush();
    await jobs.run('flaky', undefined);
    await tick(clock, 50);
    await tick(clock, 10);
    await tick(clock, 50);
    values = await samples(registry);
    expect(values.get('vigil_jobs_total{type="work",outcome="completed"}')).toBe(3);
    expect(values.get('vigil_jobs_total{type="flaky",outcome="failed"}')).toBe(2);
    expect(values.get('vigil_jobs_total{type="flaky",outcome="timed_out"}')).toBe(2);
    expect(values.get('vigil_jobs_total{type="flaky",outcome="retried"}')).toBe(1);
    expect(values.get('vigil_jobs_total{type="flaky",outcome="dead_lettered"}')).toBe(1);
    expect(values.get('vigil_jobs_dead_letters{type="flaky"}')).toBe(1);
    expect(values.get('vigil_jobs_wait_seconds_count{type="work"}')).toBe(3);
    // The two queued jobs waited 250 ms for the first: in the 0.5 s bucket, not the 0.1 s one.
    expect(values.get('vigil_jobs_wait_seconds_bucket{type="work",le="0.1"}')).toBe(1);
    expect(values.get('vigil_jobs_wait_seconds_bucket{type="work",le="0.5"}')).toBe(3);
    expect(values.get('vigil_jobs_duration_seconds_count{type="work"}')).toBe(3);
    expect(values.get('vigil_jobs_breaker_state{type="work"}')).toBe(0);
    expect(values.has('vigil_jobs_breaker_state{type="flaky"}')).toBe(false);
  });

  it('two runners on one registry each report their types, until they close', async () => {
    const registry = new Registry();
    const a = runnerOnClock({ alpha: { handler: () => {} } }, { registry }).jobs;
    const b = runnerOnClock({ beta: { handler: () => {} } }, { registry }).jobs;
    await a.run('alpha', undefined).result;
    await b.run('beta', undefined).result;
    let values = await samples(registry);
    expect(values.get('vigil_jobs_total{type="alpha",outcome="completed"}')).toBe(1);
    expect(values.get('vigil_jobs_total{type="beta",outcome="completed"}')).toBe(1);
    expect(values.has('vigil_jobs_queued{type="alpha"}')).toBe(true);
    expect(values.has('vigil_jobs_queued{type="beta"}')).toBe(true);
    await a.close();
    await b.close();
    values = await samples(registry);
    expect(values.get('vigil_jobs_queued{type="beta"}')).toBe(0);
  });

  it('feeds the performance tracker per type (operation job:<type>)', async () => {
    const { jobs, clock } = runnerOnClock({
      report: {
        handler: async () => {
          clock.advance(2_000);
        },
      },
    });
    open.push(jobs as unknown as JobRunner);
    for (let i = 0; i < 12; i++) await (await jobs.run('report', undefined)).result;
    const stats = jobs.tracker?.stats('job:report');
    expect(stats?.count).toBe(12);
    expect(stats?.recent.p50).toBeCloseTo(2, 5);
    expect(jobs.tracker?.baseline('job:report')).toBeDefined();
    expect(jobs.stats()['report']).toMatchObject({ completed: 12, p50: 2 });
  });
});
