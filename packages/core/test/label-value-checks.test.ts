import { caught } from '@vigil/test-support';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Registry } from '../src/index.js';

describe('maxLabelValueLength', () => {
  it('refuses a new series whose label value is too long, by default past 1,024', async () => {
    const registry = new Registry();
    const counter = registry.counter({ name: 'hits_total', help: 'Hits.', labelNames: ['path'] });
    counter.inc({ path: 'x'.repeat(1_024) });
    counter.inc({ path: 'x'.repeat(1_025) });
    expect(counter.seriesCount).toBe(1);
    expect(await registry.metrics()).toContain(
      'vigil_invalid_observations_total{metric="hits_total",reason="label_value_too_long"} 1\n',
    );
  });

  it('is configurable, and says what to do under throw', () => {
    const registry = new Registry({ maxLabelValueLength: 8, onInvalid: 'throw' });
    const counter = registry.counter({ name: 'hits_total', help: 'Hits.', labelNames: ['path'] });
    const error = caught(() => counter.labels({ path: '/a/long/url' }));
    expect(error).toMatchObject({ code: 'LABELS_MISMATCH' });
    expect((error as Error).message).toContain('maxLabelValueLength of 8');
    expect(() => new Registry({ maxLabelValueLength: 0 })).toThrow(/positive integer/);
  });
});

describe('lone surrogates in label values', () => {
  const loneSurrogate = fc
    .tuple(fc.string(), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string())
    .map(([before, unit, after]) => `${before}${String.fromCharCode(unit)}${after}`)
    .filter((text) => !(text as unknown as { isWellFormed(): boolean }).isWellFormed());

  it('never reach the exposition, so no two series render as one line', async () => {
    await fc.assert(
      fc.asyncProperty(loneSurrogate, async (value) => {
        const registry = new Registry();
        const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['v'] });
        counter.inc({ v: value });
        counter.labels({ v: value }).inc();
        expect(counter.seriesCount).toBe(0);
        const text = await registry.metrics();
        expect(text).toContain('reason="invalid_label_value"} 2\n');
        expect(text).not.toContain('\uFFFD');
      }),
      { numRuns: 200 },
    );
  });

  it('say where the surrogate is', () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['v'] });
    expect((caught(() => counter.inc({ v: 'ab\uD800' })) as Error).message).toContain(
      'U+D800 at index 2',
    );
    counter.inc({ v: 'emoji \u{1F600}' });
    expect(counter.get({ v: 'emoji \u{1F600}' })).toBe(1);
  });
});

describe('a bad exemplar', () => {
  it('drops the observation and is counted once, not recorded as well', async () => {
    const registry = new Registry();
    const histogram = registry.histogram({
      name: 'h',
      help: 'H.',
      buckets: [1],
      labelNames: ['q'],
    });
    histogram.observe({ q: 'a' }, 0.5, { 'bad-name': 'x' });
    histogram.labels({ q: 'a' }).observe(0.5, { trace_id: 'a\uDC00' });
    histogram.observe({ q: 'a' }, 0.5, { trace_id: 'ok' });
    const text = await registry.metrics();
    expect(text).toContain('h_count{q="a"} 1\n');
    expect(text).toContain(
      'vigil_invalid_observations_total{metric="h",reason="invalid_exemplar"} 2\n',
    );
  });
});
