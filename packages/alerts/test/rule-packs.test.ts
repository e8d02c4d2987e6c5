import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Registry } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AlertEngine,
  checkRule,
  healthRules,
  httpRules,
  jobsRules,
  partnerRules,
  processRules,
  toPrometheusRules,
} from '../src/index.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'vigil-alerts-packs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PACKS = [httpRules(), jobsRules(), partnerRules(), healthRules(), processRules()];

describe('rule packs', () => {
  it('are valid rules, and Prometheus accepts them too', async () => {
    const groups = PACKS.map((group) => ({
      name: group.name,
      interval: undefined,
      rules: group.rules.map(checkRule),
    }));
    const file = join(dir, 'packs.rules.yml');
    writeFileSync(file, toPrometheusRules(groups));
    const { stdout } = await run('promtool', ['check', 'rules', file]);
    expect(stdout).toContain(
      `SUCCESS: ${PACKS.reduce((n, g) => n + g.rules.length, 0)} rules found`,
    );
  });

  it("the jobs pack fires when more than half of a type's attempts fail for 5 minutes", async () => {
    const clock = manualClock();
    const registry = new Registry({ clock });
    const jobs = registry.counter({
      name: 'vigil_jobs_total',
      help: 'jobs',
      labelNames: ['type', 'outcome'],
    });
    const engine = new AlertEngine({
      registry,
      clock,
      timers: clock,
      evaluationInterval: '1m',
      groups: [jobsRules()],
    });
    const firing: string[] = [];
    engine.on('firing', ({ alert }) =>
      firing.push(`${alert.labels['alertname']} ${alert.labels['type']}`),
    );
    for (let minute = 0; minute <= 12; minute++) {
      jobs.labels({ type: 'email', outcome: 'completed' }).inc(10);
      jobs.labels({ type: 'report', outcome: 'completed' }).inc(minute < 3 ? 10 : 2);
      jobs.labels({ type: 'report', outcome: 'failed' }).inc(minute < 3 ? 0 : 8);
      await engine.evaluate();
      clock.advance(60_000);
    }
    expect(firing).toEqual(['JobFailureRateHigh report']);
    expect(engine.alerts()[0]?.annotations['summary']).toBe(
      'report: 80% of attempts fail (over 50 %)',
    );
  });
});
