import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { Counter, Registry } from '../src/index.js';

function requests(registry = new Registry({ onInvalid: 'throw' })) {
  return registry.counter({
    name: 'http_requests_total',
    help: 'Requests.',
    labelNames: ['method', 'route'] as const,
  });
}

describe('labels() and remove() with positional values, as prom-client takes them', () => {
  it('binds the same child as the labels object, values in labelNames order', () => {
    const counter = requests();
    const positional = counter.labels('GET', '/users/:id');
    expect(positional).toBe(counter.labels({ method: 'GET', route: '/users/:id' }));
    positional.inc();
    expect(counter.get({ method: 'GET', route: '/users/:id' })).toBe(1);
  });

  it('works on every metric type', async () => {
    const registry = new Registry();
    const labelNames = ['queue'] as const;
    registry.gauge({ name: 'g', help: 'G.', labelNames }).labels('email').set(2);
    registry.histogram({ name: 'h', help: 'H.', labelNames }).labels('email').observe(0.1);
    registry.summary({ name: 's', help: 'S.', labelNames }).labels('email').observe(0.1);
    const text = await registry.metrics();
    expect(text).toContain('g{queue="email"} 2\n');
    expect(text).toContain('h_count{queue="email"} 1\n');
    expect(text).toContain('s_count{queue="email"} 1\n');
  });

  it('removes a series by its values', () => {
    const counter = requests();
    counter.inc({ method: 'GET', route: '/' });
    expect(counter.remove('GET', '/')).toBe(true);
    expect(counter.remove('GET', '/')).toBe(false);
    expect(counter.seriesCount).toBe(0);
  });

  it('reports too few or too many values, and an object mixed with values', () => {
    const counter = requests();
    expect(caught(() => counter.labels('GET'))).toMatchObject({ code: 'LABELS_MISMATCH' });
    expect(caught(() => counter.labels('GET', '/', 'extra'))).toMatchObject({
      code: 'LABELS_MISMATCH',
    });
    const mixed = caught(() => counter.labels({ method: 'GET', route: '/' } as never, 'x'));
    expect(mixed).toMatchObject({ code: 'LABELS_MISMATCH' });
    expect((mixed as Error).message).toContain('not both');
  });

  it('under drop, a bad positional set records nothing and is counted', async () => {
    const registry = new Registry();
    const counter = requests(registry);
    counter.labels('GET').inc();
    expect(counter.seriesCount).toBe(0);
    expect(await registry.metrics()).toContain(
      'vigil_invalid_observations_total{metric="http_requests_total",reason="labels_mismatch"} 1\n',
    );
  });
});

describe('new Counter({ … }), prom-client style', () => {
  it('says how to make the metric instead', () => {
    const error = caught(
      () =>
        new (Counter as unknown as new (options: object) => unknown)({
          name: 'jobs_total',
          help: 'Jobs.',
        }),
    );
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toContain('registry.counter({ … })');
  });
});
