import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { Counter, CounterChild, InvalidObservationError, Registry } from '../src/index.js';
import { manualClock } from '../src/testing/index.js';

function requestsCounter(registry = new Registry({ onInvalid: 'throw' })) {
  return registry.counter({
    name: 'http_requests_total',
    help: 'Requests served.',
    labelNames: ['method', 'status'],
  });
}

describe('Counter', () => {
  it('describes itself', () => {
    const counter = requestsCounter();
    expect(counter).toBeInstanceOf(Counter);
    expect(counter.type).toBe('counter');
    expect(counter.name).toBe('http_requests_total');
    expect(counter.help).toBe('Requests served.');
    expect(counter.labelNames).toEqual(['method', 'status']);
    expect(Object.isFrozen(counter.labelNames)).toBe(true);
    expect(counter.unit).toBeUndefined();
  });

  it('starts an unlabelled counter at 0', () => {
    const counter = new Registry().counter({ name: 'jobs_total', help: 'Jobs.' });
    expect(counter.get()).toBe(0);
  });

  it('inc() adds 1 and inc(v) adds v', () => {
    const counter = new Registry().counter({ name: 'jobs_total', help: 'Jobs.' });
    counter.inc();
    counter.inc(2.5);
    counter.inc(0);
    expect(counter.get()).toBe(3.5);
  });

  it('inc(labels) adds 1 and inc(labels, v) adds v to that series only', () => {
    const counter = requestsCounter();
    counter.inc({ method: 'GET', status: '200' });
    counter.inc({ method: 'GET', status: '200' }, 4);
    counter.inc({ method: 'POST', status: '201' }, 2);
    expect(counter.get({ method: 'GET', status: '200' })).toBe(5);
    expect(counter.get({ method: 'POST', status: '201' })).toBe(2);
    expect(counter.get({ method: 'PUT', status: '200' })).toBeUndefined();
  });

  it('does not care about the order of the keys in a label set', () => {
    const counter = requestsCounter();
    counter.inc({ method: 'GET', status: '200' });
    counter.inc({ status: '200', method: 'GET' });
    expect(counter.get({ status: '200', method: 'GET' })).toBe(2);
  });

  it('takes finite numbers as label values, as their string', () => {
    const counter = requestsCounter();
    counter.inc({ method: 'GET', status: 200 });
    counter.inc({ method: 'GET', status: '200' });
    expect(counter.get({ method: 'GET', status: '200' })).toBe(2);
    expect(counter.get({ method: 'GET', status: 200 })).toBe(2);
  });

  it('keeps label sets apart that a joined key would confuse', () => {
    const counter = requestsCounter();
    counter.inc({ method: 'a|b', status: 'c' });
    counter.inc({ method: 'a', status: 'b|c' });
    expect(counter.get({ method: 'a|b', status: 'c' })).toBe(1);
    expect(counter.get({ method: 'a', status: 'b|c' })).toBe(1);
  });

  it('get() of a label set that does not match labelNames is undefined', () => {
    const counter = requestsCounter();
    counter.inc({ method: 'GET', status: '200' });
    expect(counter.get({ method: 'GET' } as never)).toBeUndefined();
    expect(counter.get()).toBeUndefined();
  });

  describe('labels()', () => {
    it('returns a child that increments its series', () => {
      const counter = requestsCounter();
      const child = counter.labels({ method: 'GET', status: '200' });
      expect(child).toBeInstanceOf(CounterChild);
      child.inc();
      child.inc(3);
      expect(counter.get({ method: 'GET', status: '200' })).toBe(4);
    });

    it('returns the same child for the same label set', () => {
      const counter = requestsCounter();
      const child = counter.labels({ method: 'GET', status: '200' });
      expect(counter.labels({ method: 'GET', status: '200' })).toBe(child);
      expect(counter.labels({ status: '200', method: 'GET' })).toBe(child);
      expect(counter.labels({ method: 'GET', status: 200 })).toBe(child);
      expect(counter.labels({ method: 'GET', status: '500' })).not.toBe(child);
    });

    it('shares the series with the object form', () => {
      const counter = requestsCounter();
      const child = counter.labels({ method: 'GET', status: '200' });
      child.inc();
      counter.inc({ method: 'GET', status: '200' });
      expect(counter.get({ method: 'GET', status: '200' })).toBe(2);
    });

    it('creates the series when bound, at 0', async () => {
      const registry = new Registry();
      const counter = requestsCounter(registry);
      counter.labels({ method: 'GET', status: '200' });
      expect(counter.get({ method: 'GET', status: '200' })).toBe(0);
      expect(await registry.metrics()).toContain(
        'http_requests_total{method="GET",status="200"} 0',
      );
    });

    it('validates the label set once, when bound', () => {
      const counter = requestsCounter();
      const error = caught(() => counter.labels({ method: 'GET' } as never));
      expect(error).toBeInstanceOf(InvalidObservationError);
      expect(error).toMatchObject({ code: 'LABELS_MISMATCH', metric: 'http_requests_total' });
    });

    it('rejects an invalid increment through the child', () => {
      const counter = requestsCounter();
      const child = counter.labels({ method: 'GET', status: '200' });
      expect(caught(() => child.inc(-1))).toMatchObject({ code: 'INVALID_VALUE' });
      expect(counter.get({ method: 'GET', status: '200' })).toBe(0);
    });
  });

  describe('remove()', () => {
    it('removes one series and says whether it existed', async () => {
      const registry = new Registry();
      const counter = requestsCounter(registry);
      counter.inc({ method: 'GET', status: '200' }, 3);
      counter.inc({ method: 'GET', status: '500' });
      expect(counter.remove({ method: 'GET', status: '200' })).toBe(true);
      expect(counter.remove({ method: 'GET', status: '200' })).toBe(false);
      expect(counter.get({ method: 'GET', status: '200' })).toBeUndefined();
      expect(counter.get({ method: 'GET', status: '500' })).toBe(1);
      const text = await registry.metrics();
      expect(text).not.toContain('status="200"');
      expect(text).toContain('http_requests_total{method="GET",status="500"} 1');
    });

    it('starts a removed series again from 0 when it is recorded again', () => {
      const counter = requestsCounter();
      counter.inc({ method: 'GET', status: '200' }, 3);
      counter.remove({ method: 'GET', status: '200' });
      counter.inc({ method: 'GET', status: '200' });
      expect(counter.get({ method: 'GET', status: '200' })).toBe(1);
    });

    it('leaves a bound child working: it re-creates its series', () => {
      const counter = requestsCounter();
      const child = counter.labels({ method: 'GET', status: '200' });
      child.inc(5);
      counter.remove({ method: 'GET', status: '200' });
      expect(counter.get({ method: 'GET', status: '200' })).toBeUndefined();
      child.inc();
      expect(counter.get({ method: 'GET', status: '200' })).toBe(1);
      child.inc();
      expect(counter.get({ method: 'GET', status: '200' })).toBe(2);
    });

    it('does not let a re-created child write into a series that reused its slot', () => {
      const counter = requestsCounter();
      const child = counter.labels({ method: 'GET', status: '200' });
      child.inc(5);
      counter.remove({ method: 'GET', status: '200' });
      counter.inc({ method: 'POST', status: '201' }, 7);
      child.inc();
      expect(counter.get({ method: 'POST', status: '201' })).toBe(7);
      expect(counter.get({ method: 'GET', status: '200' })).toBe(1);
    });

    it('keeps two children of one label set (one bound before a remove, one after) apart from other series', () => {
      const counter = requestsCounter();
      const get = { method: 'GET', status: '200' };
      const before = counter.labels(get);
      counter.remove(get);
      const after = counter.labels(get);
      expect(after).not.toBe(before);
      // The older child re-creates the series and takes it over; the newer one must let go of
      // the id, or it writes into whatever series reuses it after the next remove.
      before.inc(1);
      counter.remove(get);
      counter.inc({ method: 'POST', status: '201' }, 5);
      after.inc(100);
      expect(counter.get({ method: 'POST', status: '201' })).toBe(5);
      expect(counter.get(get)).toBe(100);
      // Both keep writing into their own label set.
      before.inc(1);
      after.inc(1);
      expect(counter.get(get)).toBe(102);
      expect(counter.get({ method: 'POST', status: '201' })).toBe(5);
    });
  });

  describe('reset()', () => {
    it('sets an unlabelled counter back to 0 and restarts its created time', async () => {
      const clock = manualClock(1_700_000_000_000);
      const registry = new Registry({ clock });
      const counter = registry.counter({ name: 'jobs_total', help: 'Jobs.' });
      counter.inc(3);
      clock.advance(5_000);
      counter.reset();
      expect(counter.get()).toBe(0);
      expect(await registry.metrics({ format: 'openmetrics' })).toContain(
        'jobs_created 1700000005\n',
      );
    });

    it('removes every series of a labelled counter', async () => {
      const registry = new Registry();
      const counter = requestsCounter(registry);
      counter.inc({ method: 'GET', status: '200' });
      counter.inc({ method: 'GET', status: '500' });
      counter.reset();
      expect(counter.get({ method: 'GET', status: '200' })).toBeUndefined();
      expect(await registry.metrics()).toBe(
        '# HELP http_requests_total Requests served.\n# TYPE http_requests_total counter\n',
      );
    });

    it('leaves a bound child working: it re-creates its series', () => {
      const counter = requestsCounter();
      const child = counter.labels({ method: 'GET', status: '200' });
      child.inc(5);
      counter.reset();
      child.inc(2);
      expect(counter.get({ method: 'GET', status: '200' })).toBe(2);
      expect(counter.labels({ method: 'GET', status: '200' })).toBe(child);
    });
  });

  it('renders its series in the Prometheus text format', async () => {
    const registry = new Registry();
    const counter = requestsCounter(registry);
    counter.inc({ method: 'GET', status: '200' }, 2);
    counter.labels({ method: 'POST', status: '500' }).inc();
    expect(await registry.metrics()).toBe(
      [
        '# HELP http_requests_total Requests served.',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="GET",status="200"} 2',
        'http_requests_total{method="POST",status="500"} 1',
        '',
      ].join('\n'),
    );
  });

  it('runs its collect callback before each exposition', async () => {
    const registry = new Registry();
    let seen = 0;
    const counter = registry.counter({
      name: 'bytes_read_total',
      help: 'Bytes read.',
      collect: (self) => {
        self.inc(10 - seen);
        seen = 10;
      },
    });
    expect(await registry.metrics()).toContain('bytes_read_total 10\n');
    expect(counter.get()).toBe(10);
  });

  it('appears in the snapshot with its created time', () => {
    const clock = manualClock(1_700_000_000_000);
    const registry = new Registry({ clock });
    const counter = requestsCounter(registry);
    counter.inc({ method: 'GET', status: '200' }, 2);
    expect(registry.snapshot().metrics).toEqual([
      {
        name: 'http_requests_total',
        help: 'Requests served.',
        labelNames: ['method', 'status'],
        type: 'counter',
        series: [
          { labels: { method: 'GET', status: '200' }, value: 2, created: 1_700_000_000_000 },
        ],
      },
    ]);
  });
});
