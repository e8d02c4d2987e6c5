import { Registry } from '@vigil/core';
import { MANUAL_CLOCK_EPOCH, manualClock } from '@vigil/core/testing';
import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import {
  AlertEngine,
  type AlertTransition,
  InvalidRuleError,
  UnsupportedPromqlError,
} from '../src/index.js';

const MINUTE = 60_000;

function setup() {
  const clock = manualClock();
  const registry = new Registry({ clock });
  const requests = registry.counter({ name: 'requests_total', help: 'r', labelNames: ['route'] });
  const errors = registry.counter({ name: 'errors_total', help: 'e', labelNames: ['route'] });
  const errorsSeen: unknown[] = [];
  const engine = new AlertEngine({
    registry,
    clock,
    timers: clock,
    evaluationInterval: '1m',
    onError: (error) => errorsSeen.push(error),
    groups: [
      {
        name: 'api',
        rules: [
          {
            name: 'HighErrorRate',
            expr: 'sum by (route) (rate(errors_total[5m])) / sum by (route) (rate(requests_total[5m])) > 0.1',
            for: '2m',
            severity: 'critical',
            annotations: { summary: '{{ $labels.route }}: {{ humanizePercentage $value }} fail' },
          },
        ],
      },
    ],
  });
  return { clock, registry, requests, errors, engine, errorsSeen };
}

describe('AlertEngine', () => {
  it('samples the registry every cycle and takes an alert through pending, firing and resolved', async () => {
    const { clock, requests, errors, engine } = setup();
    const seen: string[] = [];
    engine.on('transition', (t: AlertTransition) =>
      seen.push(`${(t.at - MANUAL_CLOCK_EPOCH) / MINUTE}m ${t.from}->${t.to}`),
    );
    const firing: unknown[] = [];
    engine.on('firing', (t) => firing.push(t.alert.annotations['summary']));
    for (let minute = 0; minute <= 16; minute++) {
      requests.labels({ route: '/pay' }).inc(100);
      if (minute > 5 && minute <= 10) errors.labels({ route: '/pay' }).inc(40);
      await engine.evaluate();
      clock.advance(MINUTE);
    }
    expect(seen).toEqual(['7m inactive->pending', '9m pending->firing', '14m firing->inactive']);
    expect(firing).toEqual(['/pay: 32% fail']);
    expect(engine.alerts()).toEqual([]);
    expect(engine.transitions()).toHaveLength(3);
    expect(engine.rules()).toMatchObject([{ group: 'api', name: 'HighErrorRate', health: 'ok' }]);
  });

  it('evaluates on its own every interval once started, never overlapping, and stops at close', async () => {
    const { clock, requests, engine } = setup();
    requests.labels({ route: '/a' }).inc();
    engine.start();
    clock.advance(MINUTE);
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(engine.rules()[0]?.lastEvaluation).toBe(clock.now());
    await engine.close();
    const last = engine.rules()[0]?.lastEvaluation;
    clock.advance(5 * MINUTE);
    await new Promise((resolve) => setImmediate(resolve));
    expect(engine.rules()[0]?.lastEvaluation).toBe(last);
  });

  it('reports a rule that fails and runs the others', async () => {
    const { clock, registry, engine, errorsSeen } = setup();
    const a = registry.gauge({ name: 'a', help: 'a', labelNames: ['job', 'instance'] });
    const b = registry.gauge({ name: 'b', help: 'b', labelNames: ['job', 'instance'] });
    a.labels({ job: 'x', instance: '1' }).set(1);
    b.labels({ job: 'x', instance: '1' }).set(1);
    b.labels({ job: 'x', instance: '2' }).set(1);
    engine.addGroup({
      name: 'broken',
      rules: [
        { name: 'ManyToMany', expr: 'a + on(job) b > 0' },
        { name: 'Fine', expr: 'a > 0' },
      ],
    });
    const failures: unknown[] = [];
    engine.on('rule-error', (event) => failures.push(event.rule));
    await engine.evaluate();
    expect(failures).toEqual(['ManyToMany']);
    expect(errorsSeen).toHaveLength(1);
    expect(engine.alerts().map((alert) => alert.labels['alertname'])).toEqual(['Fine']);
    const status = engine.rules().find((rule) => rule.name === 'ManyToMany');
    expect(status).toMatchObject({
      health: 'err',
      lastError: expect.stringMatching(/many-to-many/),
    });
    const exposition = await registry.metrics();
    expect(exposition).toContain('vigil_alert_rule_evaluation_failures_total{rule="ManyToMany"} 1');
    void clock;
  });

  it("reads the host's own points, and a series that disappears goes stale at once", async () => {
    const { clock, registry, engine } = setup();
    engine.addGroup({ name: 'host', rules: [{ name: 'QueueLong', expr: 'queue_length > 100' }] });
    engine.addPoint('queue_length', 150, { queue: 'emails' });
    await engine.evaluate();
    expect(engine.alerts().map((a) => a.labels['queue'])).toEqual(['emails']);
    const temperature = registry.gauge({ name: 'temperature', help: 't' });
    temperature.set(90);
    engine.addGroup({ name: 'heat', rules: [{ name: 'Hot', expr: 'temperature > 80' }] });
    clock.advance(MINUTE);
    await engine.evaluate();
    expect(engine.alerts().some((a) => a.labels['alertname'] === 'Hot')).toBe(true);
    registry.remove('temperature');
    clock.advance(MINUTE);
    await engine.evaluate();
    // Within the 5-minute lookback, but stale: gone at once.
    expect(engine.alerts().some((a) => a.labels['alertname'] === 'Hot')).toBe(false);
  });

  it('loads a Prometheus rule file, refuses what it cannot evaluate, and exports the rules', async () => {
    const { engine } = setup();
    engine.loadRuleFile(`
groups:
  - name: node
    interval: 30s
    rules:
      - alert: Down
        expr: up == 0
        for: 1m
        labels: { severity: warning }
`);
    expect(engine.rules().map((r) => `${r.group}/${r.name}`)).toEqual([
      'api/HighErrorRate',
      'node/Down',
    ]);
    expect(
      caught(() => engine.loadRuleFile('groups: [{ name: r, rules: [{ record: x, expr: up }] }]')),
    ).toBeInstanceOf(InvalidRuleError);
    expect(
      caught(() =>
        engine.addGroup({
          name: 'sub',
          rules: [{ name: 'S', expr: 'max_over_time(x[5m:1m]) > 1' }],
        }),
      ),
    ).toBeInstanceOf(UnsupportedPromqlError);
    const yaml = engine.toPrometheusRules();
    expect(yaml).toContain('- name: node\n    interval: 30s');
    expect(yaml).toContain('alert: HighErrorRate');
  });
});
