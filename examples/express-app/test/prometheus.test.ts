import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type ExampleApp } from '../src/app.js';

// A real Prometheus (Debian's 2.42, started by scripts/prometheus.sh on its own port) scrapes the
// example app twice a second in two jobs: one as Prometheus asks by default (its Accept header
// prefers OpenMetrics, and the app answers the text format 0.0.4 all the same), one from
// /metrics?format=openmetrics. The test
// drives a known number of requests with known latencies first, then reads everything back
// through Prometheus's HTTP API.

const REPO = join(import.meta.dirname, '..', '..', '..');
const PROMETHEUS_PORT = '59091';
const DEFAULT_JOB = 'express-app';
const OPENMETRICS_JOB = 'express-app-openmetrics';
const JOBS = [DEFAULT_JOB, OPENMETRICS_JOB] as const;

const SLOW_REQUESTS = 20; // /api/users/:id: a 300 ms database call → the (0.25, 0.5] s bucket
const FAST_REQUESTS = 60; // /api/orders/:orderId: no I/O → well under 0.25 s
const NOT_FOUND_REQUESTS = 10; // random paths → http_route=""
const TOTAL = SLOW_REQUESTS + FAST_REQUESTS + NOT_FOUND_REQUESTS;
const DB_LATENCY_MS = 300; // 200 ms of slack on either side, for a busy machine

/** One scrape as the app answered it. */
interface Scrape {
  url: string;
  contentType: string;
}

let example: ExampleApp;
let server: Server;
let prometheus: string;
let prometheusDir: string;
const scrapes: Scrape[] = [];

function prometheusScript(...args: string[]): string {
  return execFileSync('bash', ['scripts/prometheus.sh', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000,
  }).trim();
}

interface PrometheusResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

async function api<T>(path: string, params: Record<string, string> = {}): Promise<T> {
  const url = new URL(path, prometheus);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const response = await fetch(url);
  const body = (await response.json()) as PrometheusResponse<T>;
  if (body.status !== 'success') throw new Error(`${url}: ${body.error ?? response.status}`);
  return body.data;
}

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/**
 * An instant query's result as `{ labels, value }` pairs, evaluated at `time` (RFC 3339; default
 * now).
 */
async function query(
  promql: string,
  time?: string,
): Promise<{ metric: Record<string, string>; value: number }[]> {
  const data = await api<{ resultType: string; result: VectorSample[] }>('/api/v1/query', {
    query: promql,
    ...(time === undefined ? {} : { time }),
  });
  expect(data.resultType).toBe('vector');
  return data.result.map((sample) => ({ metric: sample.metric, value: Number(sample.value[1]) }));
}

async function scalar(promql: string, time?: string): Promise<number> {
  const result = await query(promql, time);
  expect(result, promql).toHaveLength(1);
  return result[0]?.value ?? Number.NaN;
}

async function get(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
}

beforeAll(async () => {
  example = createApp({ dbLatencyMs: DB_LATENCY_MS });
  server = createServer((req, res) => {
    const url = req.url ?? '';
    if (url.startsWith('/metrics')) {
      res.once('finish', () =>
        scrapes.push({ url, contentType: String(res.getHeader('content-type')) }),
      );
    }
    example.app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The traffic, before Prometheus starts: every scrape then sees the final counts.
  const base = `http://${target}`;
  const slow = Array.from({ length: SLOW_REQUESTS }, (_, i) =>
    get(`${base}/api/users/${(i % 3) + 1}`),
  );
  const statuses = await Promise.all(slow);
  for (let batch = 0; batch < FAST_REQUESTS; batch += 10) {
    statuses.push(
      ...(await Promise.all(
        Array.from({ length: 10 }, (_, i) => get(`${base}/api/orders/${batch + i}`)),
      )),
    );
  }
  for (let i = 0; i < NOT_FOUND_REQUESTS; i++) {
    statuses.push(await get(`${base}/scan/${Math.random().toString(36).slice(2)}`));
  }
  expect(statuses.filter((status) => status === 404)).toHaveLength(NOT_FOUND_REQUESTS);
  expect(statuses).toHaveLength(TOTAL);

  prometheusDir = mkdtempSync(join(tmpdir(), 'vigil-prometheus-'));
  const config = join(prometheusDir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      `  - job_name: ${DEFAULT_JOB}`,
      '    metrics_path: /metrics',
      `    static_configs: [{ targets: ['${target}'] }]`,
      `  - job_name: ${OPENMETRICS_JOB}`,
      '    metrics_path: /metrics',
      '    params: { format: [openmetrics] }',
      `    static_configs: [{ targets: ['${target}'] }]`,
      '',
    ].join('\n'),
  );
  prometheus = prometheusScript('start', config, PROMETHEUS_PORT, prometheusDir);
}, 60_000);

afterAll(async () => {
  if (prometheusDir !== undefined) prometheusScript('stop', PROMETHEUS_PORT, prometheusDir);
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await example?.close();
});

describe('a real Prometheus scraping the example app', () => {
  it('ingests both formats and answers the expected counts and 95th percentile', async () => {
    // Two successful scrapes of each job, polled (at most 45 s) rather than slept for; and both
    // targets up with no error in their last scrape (a parse error would be reported there). A
    // scrape that timed out on a busy machine is waited out: it is not a format problem, and a
    // parse error would not go away.
    const lastScrape = new Map<string, string>();
    await vi.waitFor(
      async () => {
        for (const job of JOBS) {
          expect(await scalar(`sum_over_time(up{job="${job}"}[5m])`)).toBeGreaterThanOrEqual(2);
        }
        const { activeTargets } = await api<{
          activeTargets: {
            labels: Record<string, string>;
            health: string;
            lastError: string;
            lastScrape: string;
          }[];
        }>('/api/v1/targets', { state: 'active' });
        expect(
          activeTargets
            .map((t) => ({ job: t.labels.job, health: t.health, lastError: t.lastError }))
            .sort((a, b) => String(a.job).localeCompare(String(b.job))),
        ).toEqual(JOBS.map((job) => ({ job, health: 'up', lastError: '' })));
        for (const target of activeTargets) {
          lastScrape.set(target.labels.job ?? '', target.lastScrape);
        }
      },
      { timeout: 45_000, interval: 250 },
    );

    // The app served the text format to Prometheus's default request (which prefers OpenMetrics)
    // and OpenMetrics only when asked with ?format=openmetrics.
    const served = new Map(scrapes.map((s) => [s.url, s.contentType]));
    expect(served.get('/metrics')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(served.get('/metrics?format=openmetrics')).toMatch(
      /^application\/openmetrics-text; version=1\.0\.0/,
    );
    // So the default job has no _created series (Prometheus 2.x stores each OpenMetrics _created
    // sample as a series of its own), and the OpenMetrics job has them.
    const created = (job: string) =>
      query(`count({job="${job}", __name__=~".+_created"})`, lastScrape.get(job));
    expect(await created(DEFAULT_JOB)).toEqual([]);
    expect((await created(OPENMETRICS_JOB)).length).toBe(1);
    // And Prometheus parsed them as such: only OpenMetrics carries the metric's unit.
    for (const [job, unit] of [
      [DEFAULT_JOB, ''],
      [OPENMETRICS_JOB, 'seconds'],
    ] as const) {
      const metadata = await api<{ type: string; unit: string }[]>('/api/v1/targets/metadata', {
        match_target: `{job="${job}"}`,
        metric: 'http_server_request_duration_seconds',
      });
      expect(metadata.map((m) => ({ type: m.type, unit: m.unit }))).toEqual([
        { type: 'histogram', unit },
      ]);
    }

    // Queried as of each job's last successful scrape: a later scrape that timed out would mark
    // the series stale and empty an instant query at "now".
    for (const job of JOBS) {
      const selector = `{job="${job}"}`;
      const time = lastScrape.get(job);
      expect(await scalar(`sum(http_server_request_duration_seconds_count${selector})`, time)).toBe(
        TOTAL,
      );
      const byRoute = await query(
        `sum by (http_route, http_response_status_code) (http_server_request_duration_seconds_count${selector})`,
        time,
      );
      // Prometheus drops empty labels: the unmatched route's series has no http_route at all.
      const counts = Object.fromEntries(
        byRoute.map((s) => [
          `${s.metric.http_route ?? '(none)'} ${s.metric.http_response_status_code}`,
          s.value,
        ]),
      );
      expect(counts).toEqual({
        '/api/users/:id 200': SLOW_REQUESTS,
        '/api/orders/:orderId 200': FAST_REQUESTS,
        '(none) 404': NOT_FOUND_REQUESTS,
      });
      // 70 fast requests below 0.25 s, 20 slow ones in (0.25, 0.5]: the 95th percentile (rank
      // 85.5 of 90) lies in the slow bucket, 0.25 + 0.25 × 15.5 / 20 ≈ 0.44 s by interpolation.
      const p95 = await scalar(
        `histogram_quantile(0.95, sum by (le) (http_server_request_duration_seconds_bucket${selector}))`,
        time,
      );
      expect(p95).toBeGreaterThan(0.25);
      expect(p95).toBeLessThanOrEqual(0.5);
      expect(await scalar(`sum(http_server_active_requests${selector})`, time)).toBe(0);
    }
  }, 60_000);
});
