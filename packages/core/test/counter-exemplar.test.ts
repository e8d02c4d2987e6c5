import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { Registry } from '../src/index.js';
import { manualClock } from '../src/testing/index.js';

const START = 1_700_000_000_123;

function requests(registry: Registry) {
  return registry.counter({
    name: 'http_requests_total',
    help: 'Requests.',
    labelNames: ['method'],
  });
}

describe('Counter exemplars', () => {
  it('render the latest one after the _total sample, in OpenMetrics only', async () => {
    const clock = manualClock(START);
    const registry = new Registry({ clock });
    const counter = requests(registry);
    counter.inc({ method: 'GET' }, 2, { trace_id: 'first' });
    clock.advance(1_000);
    counter.inc({ method: 'GET' }, 1, { trace_id: 'abc' });
    counter.inc({ method: 'POST' });
    const text = await registry.metrics({ format: 'openmetrics' });
    expect(text).toContain(
      'http_requests_total{method="GET"} 3 # {trace_id="abc"} 1 1700000001.123\nhttp_requests_created{method="GET"} 1700000000.123\n',
    );
    expect(text).toContain('http_requests_total{method="POST"} 1\n');
    expect(text).not.toContain('first');
    const prometheus = await registry.metrics();
    expect(prometheus).toContain('http_requests_total{method="GET"} 3\n');
    expect(prometheus).not.toContain('trace_id');
  });

  it('are taken by an unlabelled counter and by a bound child', async () => {
    const registry = new Registry({ clock: manualClock(START) });
    const jobs = registry.counter({ name: 'jobs', help: 'Jobs.' });
    jobs.inc(2, { trace_id: 'unlabelled' });
    requests(registry).labels('PUT').inc(4, { trace_id: 'child', span_id: 's"1' });
    const text = await registry.metrics({ format: 'openmetrics' });
    expect(text).toContain('jobs_total 2 # {trace_id="unlabelled"} 2 1700000000.123\n');
    expect(text).toContain(
      'http_requests_total{method="PUT"} 4 # {trace_id="child",span_id="s\\"1"} 4 1700000000.123\n',
    );
    expect(jobs.get()).toBe(2);
  });

  it('keep inc() without an exemplar as it was, and an empty exemplar is allowed', async () => {
    const registry = new Registry({ clock: manualClock(START) });
    const jobs = registry.counter({ name: 'jobs_total', help: 'Jobs.' });
    jobs.inc();
    jobs.inc(undefined, {});
    expect(jobs.get()).toBe(2);
    expect(await registry.metrics({ format: 'openmetrics' })).toContain(
      'jobs_total 2 # {} 1 1700000000.123\n',
    );
  });

  it('with bad labels drop the whole increment (counted once, not recorded)', async () => {
    const registry = new Registry();
    const counter = requests(registry);
    counter.inc({ method: 'GET' }, 1, { 'bad-name': 'x' });
    counter.labels({ method: 'GET' }).inc(1, { trace_id: 'a\uDC00' });
    registry.counter({ name: 'jobs_total', help: 'Jobs.' }).inc(1, { trace_id: 'x'.repeat(200) });
    counter.inc({ method: 'GET' }, 1, { trace_id: 'ok' });
    const text = await registry.metrics();
    expect(text).toContain('http_requests_total{method="GET"} 1\n');
    expect(text).toContain('jobs_total 0\n');
    expect(text).toContain(
      'vigil_invalid_observations_total{metric="http_requests_total",reason="invalid_exemplar"} 2\n',
    );
    const throwing = requests(new Registry({ onInvalid: 'throw' }));
    expect(caught(() => throwing.inc({ method: 'GET' }, 1, { 'trace-id': 'x' }))).toMatchObject({
      code: 'INVALID_VALUE',
    });
    // A second argument that is neither a number nor exemplar labels is no exemplar.
    const jobs = new Registry({ onInvalid: 'throw' }).counter({ name: 'j_total', help: 'J.' });
    expect(caught(() => jobs.inc(1, 2 as never))).toMatchObject({ code: 'INVALID_VALUE' });
  });

  it('are in snapshots only where there is one, as copies', () => {
    const registry = new Registry({ clock: manualClock(START), defaultLabels: { app: 'a' } });
    const counter = requests(registry);
    const labels = { trace_id: 'abc' };
    counter.inc({ method: 'GET' }, 2, labels);
    counter.inc({ method: 'POST' });
    const [family] = registry.snapshot().metrics;
    expect(family?.series).toEqual([
      {
        labels: { app: 'a', method: 'GET' },
        value: 2,
        created: START,
        exemplar: { labels: { trace_id: 'abc' }, value: 2, timestamp: START },
      },
      { labels: { app: 'a', method: 'POST' }, value: 1, created: START },
    ]);
    const series = family?.series[0] as { exemplar: { labels: unknown } };
    expect(series.exemplar.labels).not.toBe(labels);
    expect('exemplar' in (family?.series[1] ?? {})).toBe(false);
  });

  it('go with their series on reset and remove', async () => {
    const registry = new Registry({ clock: manualClock(START) });
    const counter = requests(registry);
    counter.inc({ method: 'GET' }, 1, { trace_id: 'gone' });
    counter.remove({ method: 'GET' });
    counter.inc({ method: 'GET' });
    const jobs = registry.counter({ name: 'jobs_total', help: 'Jobs.' });
    jobs.inc(1, { trace_id: 'reset' });
    jobs.reset();
    const text = await registry.metrics({ format: 'openmetrics' });
    expect(text).not.toContain('trace_id');
  });
});
