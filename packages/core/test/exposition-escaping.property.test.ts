import { parseExposition, type TextFormat } from '@vigil/test-support';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Registry } from '../src/index.js';
import { manualClock } from '../src/testing/index.js';

// Any unicode text, with the characters that need escaping (and look-alikes of escapes) common.
const tricky = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('\\', '"', '\n', 'n', '\\n', '\\\\', '{', '}', ',', '=', ' ', '#'),
    },
  ),
  maxLength: 40,
});
const help = tricky.filter((text) => text.length > 0);
const formats = fc.constantFrom<TextFormat>('prometheus', 'openmetrics');

describe('escaping round-trips through a Prometheus text parser', () => {
  it('keeps any label value and any help text', async () => {
    await fc.assert(
      fc.asyncProperty(tricky, tricky, tricky, help, formats, async (a, b, host, text, format) => {
        const registry = new Registry({ defaultLabels: { host } });
        registry
          .counter({ name: 'events_total', help: text, labelNames: ['a', 'b'] })
          .inc({ a, b }, 2);
        const parsed = parseExposition(await registry.metrics({ format }), format);
        expect(parsed.eof).toBe(format === 'openmetrics');
        const family = parsed.families.find((f) => f.type === 'counter');
        expect(family?.help).toBe(text);
        const total = family?.samples.find((s) => s.name === 'events_total');
        expect(total?.labels).toEqual({ host, a, b });
        expect(total?.value).toBe(2);
      }),
    );
  });

  it('keeps label values of every metric type, alongside le and quantile', async () => {
    await fc.assert(
      fc.asyncProperty(tricky, formats, async (value, format) => {
        const registry = new Registry();
        registry.gauge({ name: 'g', help: 'G.', labelNames: ['v'] }).set({ v: value }, 1);
        registry
          .histogram({ name: 'h_seconds', help: 'H.', labelNames: ['v'], buckets: [1] })
          .observe({ v: value }, 0.5);
        registry
          .summary({ name: 's_seconds', help: 'S.', labelNames: ['v'], quantiles: [0.5] })
          .observe({ v: value }, 0.5);
        const parsed = parseExposition(await registry.metrics({ format }), format);
        const samples = parsed.families.flatMap((family) => family.samples);
        expect(samples.length).toBeGreaterThan(0);
        for (const sample of samples) {
          if (sample.name.endsWith('_created')) continue;
          expect(sample.labels.v).toBe(value);
        }
      }),
    );
  });

  it('keeps exemplar label values (OpenMetrics)', async () => {
    const short = tricky.filter((text) => [...text].length <= 50);
    await fc.assert(
      fc.asyncProperty(short, async (traceId) => {
        const registry = new Registry({ clock: manualClock(1_700_000_000_000) });
        registry
          .histogram({ name: 'h_seconds', help: 'H.', buckets: [1] })
          .labels({})
          .observe(0.5, { trace_id: traceId });
        const parsed = parseExposition(
          await registry.metrics({ format: 'openmetrics' }),
          'openmetrics',
        );
        const bucket = parsed.families[0]?.samples.find((s) => s.exemplar !== undefined);
        expect(bucket?.exemplar).toEqual({
          labels: { trace_id: traceId },
          value: 0.5,
          timestamp: 1_700_000_000,
        });
      }),
    );
  });

  it('never merges two different label sets into one series', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(tricky, tricky),
        fc.tuple(tricky, tricky),
        async ([a1, b1], [a2, b2]) => {
          fc.pre(a1 !== a2 || b1 !== b2);
          const registry = new Registry();
          const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['a', 'b'] });
          counter.inc({ a: a1, b: b1 }, 1);
          counter.inc({ a: a2, b: b2 }, 10);
          expect(counter.get({ a: a1, b: b1 })).toBe(1);
          expect(counter.get({ a: a2, b: b2 })).toBe(10);
          const samples = parseExposition(await registry.metrics()).families[0]?.samples ?? [];
          expect(samples.map((s) => [s.labels, s.value])).toEqual([
            [{ a: a1, b: b1 }, 1],
            [{ a: a2, b: b2 }, 10],
          ]);
        },
      ),
    );
  });
});

describe('the test parser itself', () => {
  it('rejects an unknown escape and a raw newline in a label value', () => {
    expect(() => parseExposition('m{a="\\x"} 1\n')).toThrow(/bad escape/);
    expect(() => parseExposition('# HELP m a \\" quote\n')).toThrow(/bad escape/);
    expect(parseExposition('# HELP m a \\" quote\n', 'openmetrics').families[0]?.help).toBe(
      'a " quote',
    );
    expect(() => parseExposition('m{a="x} 1\n')).toThrow(/unterminated/);
  });
});
