import { Registry } from '@vigil/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Pushgateway } from '../src/index.js';
import {
  type PrometheusServer,
  type QueriedSample,
  startPrometheus,
} from './support/prometheus-server.js';
import { uniqueJob } from './support/pushgateway-groups.js';

// A real Prometheus (Debian's 2.42) scrapes the shared Pushgateway with honor_labels, as the
// Pushgateway's documentation says to, and answers PromQL over what was pushed.
const gatewayUrl = inject('pushgatewayUrl');
let prometheus: PrometheusServer;

beforeAll(async () => {
  prometheus = await startPrometheus(
    [
      'global: { scrape_interval: 1s }',
      'scrape_configs:',
      '  - job_name: pushgateway',
      '    honor_labels: true',
      `    static_configs: [{ targets: ['${new URL(gatewayUrl).host}'] }]`,
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await prometheus?.close();
});

/** The query's samples, once it returns any (Prometheus scrapes every second). */
async function queryUntilFound(query: string): Promise<QueriedSample[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const result = await prometheus.query(query);
    if (result.length > 0 || Date.now() > deadline) return result;
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
    expect(rows[0]?.value).toBe(42);
    const buckets = await queryUntilFound(`sum by (le) (pgp_step_seconds_bucket{job="${job}"})`);
    const byBound = Object.fromEntries(buckets.map((s) => [s.metric['le'], s.value]));
    expect(byBound).toEqual({ '0.1': 2, '1': 3, '+Inf': 4 });
  });
});
