import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { MetricConflictError, Registry } from '../src/index.js';

describe('names that collide once suffixed', () => {
  it.each([
    [
      'a summary x and a gauge x_sum',
      (r: Registry) => r.summary({ name: 'x', help: 'X.' }),
      (r: Registry) => r.gauge({ name: 'x_sum', help: 'X.' }),
    ],
    [
      'a histogram x and a counter x_bucket',
      (r: Registry) => r.histogram({ name: 'x', help: 'X.' }),
      (r: Registry) => r.counter({ name: 'x_bucket', help: 'X.' }),
    ],
    [
      'a counter x and a gauge x_total',
      (r: Registry) => r.counter({ name: 'x', help: 'X.' }),
      (r: Registry) => r.gauge({ name: 'x_total', help: 'X.' }),
    ],
    [
      'a counter x_total and a gauge x_created',
      (r: Registry) => r.counter({ name: 'x_total', help: 'X.' }),
      (r: Registry) => r.gauge({ name: 'x_created', help: 'X.' }),
    ],
    [
      'a gauge x_count and a histogram x',
      (r: Registry) => r.gauge({ name: 'x_count', help: 'X.' }),
      (r: Registry) => r.histogram({ name: 'x', help: 'X.' }),
    ],
  ])('%s is METRIC_CONFLICT at registration', (_, first, second) => {
    const registry = new Registry();
    first(registry);
    const error = caught(() => second(registry));
    expect(error).toBeInstanceOf(MetricConflictError);
    expect(error).toMatchObject({ code: 'METRIC_CONFLICT' });
  });

  it('is METRIC_CONFLICT when merging registries too', () => {
    const a = new Registry();
    const b = new Registry();
    a.summary({ name: 'latency', help: 'L.' });
    b.gauge({ name: 'latency_count', help: 'L.' });
    const error = caught(() => Registry.merge([a, b]));
    expect(error).toMatchObject({ code: 'METRIC_CONFLICT' });
    expect((error as Error).message).toMatch(/^Registry\.merge: /);
  });

  it('frees the names of a removed metric', () => {
    const registry = new Registry();
    registry.summary({ name: 'x', help: 'X.' });
    registry.remove('x');
    expect(() => registry.gauge({ name: 'x_sum', help: 'X.' })).not.toThrow();
  });
});
