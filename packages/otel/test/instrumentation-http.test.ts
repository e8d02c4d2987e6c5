import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ParsedFamily, parseExposition } from '@vigil/test-support';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const FIXTURE = join(import.meta.dirname, 'fixtures', 'instrumented-server.cjs');

interface Output {
  /** Vigil's /metrics after five requests. */
  first: string;
  /** After a sixth, in both formats. */
  prometheus: string;
  openmetrics: string;
  /** OpenTelemetry's own PrometheusExporter, reading the same MeterProvider. */
  otel: string;
}

let output: Output;

// instrumentation-http patches `http` through require hooks: the server runs in a process of its
// own, as a CommonJS script that loads the built package (build first).
beforeAll(async () => {
  const { stdout } = await run(process.execPath, [FIXTURE], {
    env: { ...process.env, OTEL_SEMCONV_STABILITY_OPT_IN: 'http/dup' },
  });
  output = JSON.parse(stdout) as Output;
});

/** What `promtool check metrics` says of a Prometheus text exposition (it fails on any problem). */
function promtool(text: string): string {
  return execFileSync('/usr/bin/promtool', ['check', 'metrics'], {
    input: text,
    encoding: 'utf8',
  });
}

const OTEL_FAMILIES = [
  'http_server_duration',
  'http_client_duration',
  'http_server_request_duration',
  'http_client_request_duration',
];

function family(text: string, name: string, format: 'prometheus' | 'openmetrics' = 'prometheus') {
  return parseExposition(text, format).families.find((f) => f.name === name);
}

/** The samples of a family with the registry's default `service` label left off. */
function samplesOf(parsed: ParsedFamily | undefined) {
  return (parsed?.samples ?? [])
    .filter((sample) => !sample.name.endsWith('_created'))
    .map(({ name, labels, value }) => {
      const { service: _, ...rest } = labels;
      return { name, labels: rest, value };
    })
    .sort((a, b) =>
      JSON.stringify([a.name, a.labels]).localeCompare(JSON.stringify([b.name, b.labels])),
    );
}

describe('OpenTelemetry instrumentation-http → Vigil /metrics', () => {
  it("serves the instrumentation's histograms next to Vigil's own metrics", () => {
    const names = parseExposition(output.prometheus).families.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining([...OTEL_FAMILIES, 'target_info']));
    const server = family(output.prometheus, 'http_server_request_duration');
    expect(server?.type).toBe('histogram');
    const count = server?.samples.find(
      (s) =>
        s.name === 'http_server_request_duration_count' &&
        s.labels['http_response_status_code'] === '200',
    );
    expect(count?.value).toBe(5);
    expect(count?.labels).toMatchObject({
      service: 'fixture',
      http_request_method: 'GET',
      otel_scope_name: '@opentelemetry/instrumentation-http',
    });
  });

  it('names, labels and every bucket count as OpenTelemetry’s Prometheus exporter has them', () => {
    for (const name of OTEL_FAMILIES) {
      const ours = samplesOf(family(output.prometheus, name));
      const reference = samplesOf(family(output.otel, name));
      expect(ours.length).toBeGreaterThan(0);
      expect(ours.map(({ name, labels }) => ({ name, labels }))).toEqual(
        reference.map(({ name, labels }) => ({ name, labels })),
      );
      ours.forEach((sample, i) => {
        const expected = reference[i]?.value as number;
        if (sample.name.endsWith('_sum')) {
          expect(sample.value).toBeCloseTo(expected, 9);
        } else {
          expect(sample.value).toBe(expected);
        }
      });
    }
  });

  it('keeps counting across scrapes', () => {
    const before = family(output.first, 'http_server_duration');
    const after = family(output.prometheus, 'http_server_duration');
    const ok = (f: ParsedFamily | undefined) =>
      f?.samples.find(
        (s) => s.name === 'http_server_duration_count' && s.labels['http_status_code'] === '200',
      )?.value;
    expect([ok(before), ok(after)]).toEqual([4, 5]);
  });

  it('passes promtool check metrics', () => {
    expect(promtool(output.prometheus)).toBe('');
  });

  it('is well-formed OpenMetrics too, histograms with their _created', () => {
    const parsed = parseExposition(output.openmetrics, 'openmetrics');
    expect(parsed.eof).toBe(true);
    const server = parsed.families.find((f) => f.name === 'http_server_request_duration');
    expect(server?.samples.some((s) => s.name === 'http_server_request_duration_created')).toBe(
      true,
    );
  });
});
