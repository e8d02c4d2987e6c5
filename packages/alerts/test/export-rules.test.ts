import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigurationError } from '@vigil/core';
import { caught } from '@vigil/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AlertRuleDefinition,
  checkRule,
  parseRuleFile,
  prometheusDuration,
  toPrometheusRules,
  UnsupportedPromqlError,
} from '../src/index.js';
import { runRuleTests } from '../src/testing/index.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'vigil-alerts-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RULES: AlertRuleDefinition[] = [
  {
    name: 'HighErrorRate',
    expr: 'sum by (route) (rate(errors_total[5m])) / sum by (route) (rate(requests_total[5m])) > 0.1',
    for: '2m',
    severity: 'critical',
    labels: { team: 'payments' },
    annotations: {
      summary: '{{ $labels.route }}: {{ humanizePercentage $value }} of requests fail',
      runbook_url: 'https://runbooks.example.com/high-error-rate',
    },
  },
  {
    name: 'ServiceDown',
    expr: 'up == 0',
    for: 90_000,
    keepFiringFor: '10m',
    severity: 'warning',
    annotations: { summary: '{{ $labels.instance }} is down' },
  },
];

describe('rules in code, exported as a Prometheus rule file', () => {
  it('writes durations as Prometheus does', () => {
    expect(prometheusDuration(90_000)).toBe('1m30s');
    expect(prometheusDuration(5_400_000)).toBe('1h30m');
    expect(prometheusDuration(250)).toBe('250ms');
    expect(prometheusDuration(0)).toBe('0s');
  });

  it('writes YAML that promtool check rules accepts, and that reads back the same', async () => {
    const yaml = toPrometheusRules([
      { name: 'api', interval: 30_000, rules: RULES.map(checkRule) },
    ]);
    const file = join(dir, 'exported.rules.yml');
    writeFileSync(file, yaml);
    const { stdout } = await run('promtool', ['check', 'rules', file]);
    expect(stdout).toContain('SUCCESS: 2 rules found');
    const [group] = parseRuleFile(yaml);
    expect(group?.name).toBe('api');
    expect(group?.interval).toBe(30_000);
    expect(group?.rules.map((rule) => ('name' in rule ? rule.name : rule.record))).toEqual([
      'HighErrorRate',
      'ServiceDown',
    ]);
    expect(yaml).toContain('keep_firing_for: 10m');
    expect(yaml).toContain('for: 1m30s');
    expect(yaml).toContain('severity: critical');
  });

  it('the exported file behaves the same under promtool test rules and under Vigil', async () => {
    writeFileSync(
      join(dir, 'roundtrip.rules.yml'),
      toPrometheusRules([{ name: 'api', interval: undefined, rules: RULES.map(checkRule) }]),
    );
    const test = join(dir, 'roundtrip.test.yml');
    writeFileSync(
      test,
      `rule_files: [roundtrip.rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'up{instance="a:9100", job="node"}'
        values: '1 1 0 0 0 0 1 1 1 1 1 1 1 1 1 1'
    alert_rule_test:
      - eval_time: 3m
        alertname: ServiceDown
        exp_alerts: []
      - eval_time: 4m
        alertname: ServiceDown
        exp_alerts:
          - exp_labels: { severity: warning, instance: 'a:9100', job: node }
            exp_annotations: { summary: 'a:9100 is down' }
      - eval_time: 15m
        alertname: ServiceDown
        exp_alerts:
          - exp_labels: { severity: warning, instance: 'a:9100', job: node }
            exp_annotations: { summary: 'a:9100 is down' }
      - eval_time: 16m
        alertname: ServiceDown
        exp_alerts: []
`,
    );
    const { stdout } = await run('promtool', ['test', 'rules', test]);
    expect(stdout).toContain('SUCCESS');
    expect((await runRuleTests(test)).failures).toEqual([]);
  });

  it('refuses a rule Vigil cannot evaluate when it is defined', () => {
    expect(
      caught(() => checkRule({ name: 'Sub', expr: 'max_over_time(rate(x[1m])[5m:1m]) > 1' })),
    ).toBeInstanceOf(UnsupportedPromqlError);
    expect(caught(() => checkRule({ name: 'bad name', expr: 'up == 0' }))).toBeInstanceOf(
      ConfigurationError,
    );
    expect(
      caught(() => checkRule({ name: 'X', expr: 'up == 0', severity: 'fatal' as never })),
    ).toBeInstanceOf(ConfigurationError);
    expect(caught(() => checkRule({ name: 'X', expr: 'up == 0', for: 'soon' }))).toMatchObject({
      code: 'INVALID_DURATION',
    });
  });
});
