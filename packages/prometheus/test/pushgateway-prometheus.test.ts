import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '@vigil/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Pushgateway } from '../src/index.js';
import { uniqueJob } from './support/pushgateway-groups.js';

// A real Prometheus (Debian's 2.42) scrapes the shared Pushgateway with honor_labels, as the
// Pushgateway's documentation says to, and answers PromQL over what was pushed.
const SCRIPT = join(import.meta.dirname, '..', '..', '..', 'scripts', 'prometheus.sh');
const PORT = '59292';
const gatewayUrl = inject('pushgatewayUrl');
let prometheus: string;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-pushgateway-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global: { scrape_interval: 1s }',
      'scrape_configs:',
      '  - job_name: pushgateway',
      '    honor_labels: true',
      `    static_configs: [{ targets: ['${new URL(gatewayUrl).host}'] }]`,
      '',
    ].join('\n'),
  );
  prometheus = execFileSync('bash', [SCRIPT, 'start', config, PORT, join(dir, 'server')], {
    encoding: 'utf8',
    timeout: 30_000,
  }).trim();
});

afterAll(() => {
  execFileSync('bash', [SCRIPT, 'stop', PORT, join(dir, 'server')], { timeout: 30_000 });
});

/** The query's samples, once it returns any (Prometheus scrapes every second). */
async function queryUntilFound(
  query: string,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const url = `${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`;
    const body = (await (await fetch(url)).json()) as { data: { result: never[] } };
    if (body.data.result.length > 0 || Date.now() > deadline) return body.data.result;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('what a job pushed, as Prometheus sees it', () => {
  it('answers PromQL with the pushed values under the pushed job and grouping labels', async () => {
    const job = uniqueJob('scraped');
    const registry = new Registry({ defaultLabels: { service: 'reports' } });
    registry
      .counter({ name: 'pgp_rows_total', help: 'Rows.', labelNames: ['table'] })
      .inc({ table: 'users' }, 42);
    const latency = registry.histogram({
      name: 'pgp_step_seconds',
      help: 'Step.',
      buckets: [0.1, 1],
    });
    for (const value of [0.05, 0.05, 0.5, 2]) latency.observe(value);
    await new Pushgateway({
      url: gatewayUrl,
      job,
      groupingLabels: { instance: 'batch-1' },
      registry,
    }).push();

    const rows = await queryUntilFound(`pgp_rows_total{job="${job}"}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.metric).toEqual({
      __name__: 'pgp_rows_total',
      job,
      instance: 'batch-1',
      service: 'reports',
      table: 'users',
    });
    expect(rows[0]?.value[1]).toBe('42');
    const buckets = await queryUntilFound(`sum by (le) (pgp_step_seconds_bucket{job="${job}"})`);
    const byBound = Object.fromEntries(buckets.map((s) => [s.metric['le'], s.value[1]]));
    expect(byBound).toEqual({ '0.1': '2', '1': '3', '+Inf': '4' });
  });
});
