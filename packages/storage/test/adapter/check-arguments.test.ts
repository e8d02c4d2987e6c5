import { describe, expect, it } from 'vitest';
import {
  checkDeadLetter,
  checkLimit,
  checkName,
  checkPoints,
  checkQuery,
  checkVersion,
  encodeJson,
  ttlMs,
} from '../../src/adapter/index.js';
import type { RangeQuery, SeriesPoint } from '../../src/index.js';

const INVALID = { code: 'STORE_INVALID_ARGUMENT' };

describe('argument checks', () => {
  it('checkName takes non-empty strings up to 512 characters', () => {
    expect(checkName('key', 'k')).toBe('k');
    expect(checkName('key', 'x'.repeat(512))).toHaveLength(512);
    for (const bad of ['', 'x'.repeat(513), 7, undefined]) {
      expect(() => checkName('key', bad)).toThrow(expect.objectContaining(INVALID));
    }
    expect(() => checkName('namespace', '')).toThrow(/namespace should be a non-empty string/);
  });

  it('ttlMs parses durations and refuses bad ones as STORE_INVALID_ARGUMENT', () => {
    expect(ttlMs('ttl', '1m30s')).toBe(90_000);
    expect(ttlMs('ttl', 250)).toBe(250);
    for (const bad of [0, '0s', -1, 'soon', Number.NaN]) {
      expect(() => ttlMs('ttl', bad)).toThrow(expect.objectContaining(INVALID));
    }
    let error: unknown;
    try {
      ttlMs('ttl', 'soon');
    } catch (caught) {
      error = caught;
    }
    expect((error as Error).cause).toMatchObject({ code: 'INVALID_DURATION' });
  });

  it('checkVersion takes non-negative integers', () => {
    expect(checkVersion(0)).toBe(0);
    expect(checkVersion(7)).toBe(7);
    for (const bad of [-1, 1.5, Number.NaN, '1']) {
      expect(() => checkVersion(bad)).toThrow(expect.objectContaining(INVALID));
    }
  });

  it('encodeJson refuses what JSON cannot hold', () => {
    expect(encodeJson('value', { a: [1, null] })).toBe('{"a":[1,null]}');
    expect(encodeJson('value', null)).toBe('null');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [undefined, () => 1, 10n, cyclic, Symbol('s')]) {
      expect(() => encodeJson('value', bad)).toThrow(expect.objectContaining(INVALID));
    }
  });

  it('checkLimit defaults to 100 and takes integers 1–10,000', () => {
    expect(checkLimit(undefined)).toBe(100);
    expect(checkLimit(1)).toBe(1);
    expect(checkLimit(10_000)).toBe(10_000);
    for (const bad of [0, 10_001, 2.5, Number.NaN]) {
      expect(() => checkLimit(bad)).toThrow(expect.objectContaining(INVALID));
    }
  });

  it('checkPoints checks a whole batch', () => {
    const good: SeriesPoint = { metric: 'm', labels: { a: 'b' }, timestamp: 1, value: 2 };
    expect(() => checkPoints([good, good])).not.toThrow();
    expect(() => checkPoints([])).not.toThrow();
    const bad = [
      { ...good, value: Number.NaN },
      { ...good, timestamp: Number.POSITIVE_INFINITY },
      { ...good, metric: '' },
      { ...good, labels: { a: 1 } },
      { ...good, labels: null },
      null,
    ];
    for (const point of bad) {
      expect(() => checkPoints([good, point as SeriesPoint])).toThrow(
        expect.objectContaining(INVALID),
      );
    }
    expect(() => checkPoints('x' as unknown as SeriesPoint[])).toThrow(/takes an array/);
  });

  it('checkQuery checks bounds, step and aggregation', () => {
    const good: RangeQuery = { metric: 'm', from: 0, to: 10, step: 1 };
    expect(() => checkQuery(good)).not.toThrow();
    expect(() => checkQuery({ ...good, to: 0 })).not.toThrow();
    const bad = [
      { ...good, from: 11 },
      { ...good, step: 0 },
      { ...good, step: Number.POSITIVE_INFINITY },
      { ...good, to: Number.NaN },
      { ...good, metric: '' },
      { ...good, aggregation: 'p99' },
    ];
    for (const query of bad) {
      expect(() => checkQuery(query as RangeQuery)).toThrow(expect.objectContaining(INVALID));
    }
  });

  it('checkDeadLetter checks the fields a letter needs', () => {
    const good = { queue: 'q', payload: { a: 1 }, error: { message: 'm' }, attempts: 2 };
    expect(() => checkDeadLetter(good)).not.toThrow();
    const bad = [
      { ...good, queue: '' },
      { ...good, id: '' },
      { ...good, attempts: -1 },
      { ...good, attempts: 0.5 },
      { ...good, failedAt: Number.NaN },
      { ...good, error: {} },
      { ...good, payload: undefined },
    ];
    for (const letter of bad) {
      expect(() => checkDeadLetter(letter as typeof good)).toThrow(
        expect.objectContaining(INVALID),
      );
    }
  });
});
