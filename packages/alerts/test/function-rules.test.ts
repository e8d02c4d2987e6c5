import { Registry } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { caught, deferred } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import {
  AlertEngine,
  InvalidRuleError,
  PromqlEvaluationError,
  type RuleQuery,
} from '../src/index.js';

const MINUTE = 60_000;

function setup(rules: ConstructorParameters<typeof AlertEngine>[0]['groups']) {
  const clock = manualClock();
  const registry = new Registry({ clock });
  const requests = registry.counter({ name: 'requests_total', help: 'r', labelNames: ['route'] });
  const latency = registry.histogram({
    name: 'latency_seconds',
    help: 'l',
    labelNames: ['route'],
    buckets: [0.1, 0.5, 1],
  });
  const depth = registry.gauge({ name: 'queue_depth', help: 'q', labelNames: ['queue'] });
  const errors: unknown[] = [];
  const engine = new AlertEngine({
    registry,
    clock,
    timers: clock,
    evaluationInterval: '1m',
    metrics: false,
    onError: (error) => errors.push(error),
    groups: rules,
  });
  return { clock, requests, latency, depth, engine, errors };
}

describe('function rules', () => {
  it('fire from the samples a function answers, over the typed helpers', async () => {
    // The limit comes from the host's own code: what PromQL cannot say.
    const limits: Record<string, number> = { emails: 100, sms: 10 };
    const { clock, depth, engine } = setup([
      {
        name: 'queues',
        rules: [
          {
            name: 'QueueTooDeep',
            expr: (q) =>
              q
                .select('queue_depth')
                .filter((s) => s.value > (limits[s.labels['queue'] as string] ?? 50)),
            for: '2m',
            annotations: { summary: '{{ $labels.queue }} holds {{ $value }}' },
          },
        ],
      },
    ]);
    const seen: string[] = [];
    engine.on('transition', (t) => seen.push(`${t.alert.labels['queue']} ${t.to}`));
    depth.labels({ queue: 'emails' }).set(40);
    depth.labels({ queue: 'sms' }).set(40);
    for (let minute = 0; minute < 3; minute++) {
      await engine.evaluate();
      clock.advance(MINUTE);
    }
    expect(seen).toEqual(['sms pending', 'sms firing']);
    expect(engine.alerts()[0]?.annotations['summary']).toBe('sms holds 40');
  });

  it('offer rate, histogramQuantile and aggregations with PromQL’s answers', async () => {
    let q: RuleQuery | undefined;
    const { clock, requests, latency, engine } = setup([
      {
        name: 'g',
        rules: [
          {
            name: 'Capture',
            expr: (query) => {
              q = query;
              return false;
            },
          },
        ],
      },
    ]);
    for (let minute = 0; minute <= 5; minute++) {
      requests.labels({ route: '/a' }).inc(60);
      requests.labels({ route: '/b' }).inc(120);
      for (let i = 0; i < 10; i++) latency.labels({ route: '/a' }).observe(i < 9 ? 0.05 : 0.7);
      await engine.evaluate();
      if (minute < 5) clock.advance(MINUTE);
    }
    const query = q as RuleQuery;
    const byRoute = (samples: readonly { labels: Record<string, string>; value: number }[]) =>
      Object.fromEntries(samples.map((s) => [s.labels['route'] ?? '', s.value]));
    expect(byRoute(query.rate('requests_total', '5m'))).toEqual(
      byRoute(query.query('rate(requests_total[5m])')),
    );
    expect(byRoute(query.rate('requests_total', '5m', { route: /\/b/ }))).toEqual({ '/b': 2 });
    expect(query.sum(query.rate('requests_total', '5m'))).toEqual(
      query.query('sum(rate(requests_total[5m]))'),
    );
    expect(query.max(query.select('requests_total'), { by: [] })[0]?.value).toBe(720);
    expect(query.topk(1, query.select('requests_total'))[0]?.labels['route']).toBe('/b');
    expect(query.histogramQuantile(0.95, 'latency_seconds', '5m', { by: ['route'] })).toEqual(
      query.query(
        'histogram_quantile(0.95, sum by (le, route) (rate(latency_seconds_bucket[5m])))',
      ),
    );
    expect(query.avgOverTime('requests_total', '2m', { route: { not: '/b' } })).toEqual(
      query.query('avg_over_time(requests_total{route!="/b"}[2m])'),
    );
    expect(query.absent('requests_total')).toBe(false);
    expect(query.absent('nothing_total')).toBe(true);
    expect(query.time).toBe(clock.now());
    expect(caught(() => query.select('not a metric'))).toMatchObject({ code: 'INVALID_OPTION' });
    expect(caught(() => query.query('rate(requests_total)'))).toMatchObject({
      code: 'PROMQL_SYNTAX',
    });
  });

  it('may be async; one that does not answer within the interval fails, the others run', async () => {
    const never = deferred<boolean>();
    const { clock, engine, errors } = setup([
      {
        name: 'g',
        rules: [
          { name: 'Slow', expr: () => never.promise },
          { name: 'Async', expr: async () => [{ labels: { shard: '1' }, value: 3 }] },
          { name: 'Wrong', expr: () => 'yes' as unknown as boolean },
        ],
      },
    ]);
    const cycle = engine.evaluate();
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(MINUTE);
    await cycle;
    const health = Object.fromEntries(engine.rules().map((r) => [r.name, r.health]));
    expect(health).toEqual({ Slow: 'err', Async: 'ok', Wrong: 'err' });
    expect(errors.some((e) => e instanceof PromqlEvaluationError)).toBe(true);
    expect(errors.some((e) => e instanceof InvalidRuleError)).toBe(true);
    expect(engine.alerts().map((a) => a.labels)).toEqual([{ shard: '1', alertname: 'Async' }]);
  });

  it('cannot be exported: the export refuses them by name, or leaves them out when asked', () => {
    const { engine } = setup([
      {
        name: 'g',
        rules: [
          {
            name: 'InCode',
            expr: function inCode() {
              return true;
            },
          },
          { name: 'Plain', expr: 'up == 0' },
        ],
      },
    ]);
    const error = caught(() => engine.toPrometheusRules());
    expect(error).toBeInstanceOf(InvalidRuleError);
    expect((error as Error).message).toContain('g/InCode');
    expect(engine.toPrometheusRules({ omitFunctionRules: true })).not.toContain('InCode');
    expect(engine.rules()[0]?.expr).toBe('<function inCode>');
  });
});
