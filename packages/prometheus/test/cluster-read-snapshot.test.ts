import { Registry, type RegistrySnapshot, renderSnapshot } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { describe, expect, it } from 'vitest';
import { encodeNonFinite } from '../src/cluster/read-snapshot.js';
import { readSnapshot } from '../src/index.js';

function fullSnapshot(): RegistrySnapshot {
  const registry = new Registry({ clock: manualClock(1_700_000_000_000) });
  registry.counter({ name: 'c_total', help: 'C.', labelNames: ['a'] }).inc({ a: 'x' }, 2);
  const g = registry.gauge({ name: 'g', help: 'G.', labelNames: ['a'] });
  g.set({ a: 'nan' }, Number.NaN);
  g.set({ a: 'inf' }, Number.POSITIVE_INFINITY);
  g.set({ a: 'minus' }, Number.NEGATIVE_INFINITY);
  registry.histogram({ name: 'h_seconds', help: 'H.', buckets: [1] }).observe(0.5);
  registry.summary({ name: 's_seconds', help: 'S.', quantiles: [0.5], unit: 'seconds' }).observe(2);
  registry.summary({ name: 'empty', help: 'E.' });
  return registry.snapshot();
}

// biome-ignore lint/suspicious/noExplicitAny: the tests break snapshots field by field.
type Loose = any;

/** A deep copy of a valid snapshot with `change` applied. */
function broken(change: (s: Record<string, Loose>) => void): unknown {
  const copy = structuredClone(fullSnapshot()) as Record<string, Loose>;
  change(copy);
  return copy;
}

describe('readSnapshot', () => {
  it('accepts what a registry snapshots, through structured clone and through JSON', () => {
    const snapshot = fullSnapshot();
    const expected = renderSnapshot(snapshot, 'openmetrics');
    expect(renderSnapshot(readSnapshot(structuredClone(snapshot)), 'openmetrics')).toBe(expected);
    // Cluster IPC is JSON: non-finite numbers are spelt out on the way, and read back.
    const wire = JSON.parse(JSON.stringify(encodeNonFinite(fullSnapshot())));
    expect(renderSnapshot(readSnapshot(wire), 'openmetrics')).toBe(expected);
    expect(expected).toContain('g{a="inf"} +Inf\n');
  });

  it('reads a gauge value of null (JSON for NaN) as NaN', () => {
    const plain = JSON.parse(JSON.stringify(fullSnapshot()));
    const read = readSnapshot(plain);
    expect(renderSnapshot(read)).toContain('g{a="nan"} NaN\n');
  });

  it.each<[string, (s: Record<string, Loose>) => void, string]>([
    ['not an object', () => {}, 'snapshot should be an object'],
    ['another version', (s) => (s.version = 2), 'version should be 1'],
    ['no metrics', (s) => delete s.metrics, 'metrics should be an array'],
    ['a bad metric name', (s) => (s.metrics[0].name = 'a b\n'), '.name should be a metric name'],
    ['a bad type', (s) => (s.metrics[0].type = 'bogus'), '.type should be counter'],
    ['a help that is not text', (s) => (s.metrics[0].help = 3), '.help should be a string'],
    ['a bad unit', (s) => (s.metrics[4].unit = 'a\n'), '.unit should be a word'],
    ['a duplicate metric', (s) => s.metrics.push(s.metrics[0]), 'appears twice'],
    ['bad label names', (s) => (s.metrics[0].labelNames = ['a-b']), '.labelNames should hold'],
    ['labels not strings', (s) => (s.metrics[0].series[0].labels.a = 1), 'labels should map'],
    [
      'a reserved label',
      (s) => (s.metrics[0].series[0].labels.__name__ = 'x'),
      'labels should map',
    ],
    [
      'a negative counter',
      (s) => (s.metrics[0].series[0].value = -1),
      '.value should be a finite number ≥ 0',
    ],
    [
      'a counter without created',
      (s) => delete s.metrics[0].series[0].created,
      '.created should be a finite number',
    ],
    [
      'a gauge of text',
      (s) => (s.metrics[1].series[0].value = 'high'),
      '.value should be a number',
    ],
    ['unsorted bounds', (s) => (s.metrics[2].bounds = [2, 1]), '.bounds should increase'],
    ['too few buckets', (s) => (s.metrics[2].series[0].counts = [1]), 'should have 2 entries'],
    ['a negative bucket', (s) => (s.metrics[2].series[0].counts = [1, -1]), '.counts[1] should be'],
    [
      'a bad quantile',
      (s) => (s.metrics[3].quantiles = [1.5]),
      '.quantiles should be numbers in [0, 1]',
    ],
    [
      'a sketch that does not add up',
      (s) => (s.metrics[3].series[0].sketch.count = 5),
      '.sketch: Invalid sketch data',
    ],
    ['no sketch', (s) => delete s.metrics[3].series[0].sketch, '.sketch: Invalid sketch data'],
  ])('rejects a snapshot with %s (INVALID_VALUE)', (_, change, message) => {
    const data = _ === 'not an object' ? 'garbage' : broken(change);
    expect(() => readSnapshot(data)).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE', message: expect.stringContaining(message) }),
    );
  });
});
