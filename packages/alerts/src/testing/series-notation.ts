import { InvalidRuleError } from '../errors.js';

/** One expanded value: a number, a stale marker (`null`), or nothing at that step (`undefined`). */
export type SeriesValue = number | null | undefined;

const NUMBER = '[+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?|Inf|inf|NaN)';
const SERIES_ITEM = new RegExp(`^(${NUMBER})(?:([+-])(${NUMBER}))?x(\\d+)$`);
const BLANK = /^_(?:x(\d+))?$/;

function number(text: string): number {
  const bare = text.replace(/^\+/, '');
  if (/^-?inf$/i.test(bare)) return bare.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(bare)) return Number.NaN;
  return Number(bare);
}

/**
 * Expands the values of a rule-test series as Prometheus does: `1 2 3`, `0+10x100` (101 values,
 * from 0 up by 10), `5-1x3`, `7x2` (7 three times), `_` (no value at that step), `_x3` (three
 * steps without), `stale` (a stale marker).
 *
 * @throws InvalidRuleError for an item it cannot read.
 */
export function expandSeriesValues(text: string): SeriesValue[] {
  const out: SeriesValue[] = [];
  for (const item of text.trim().split(/\s+/)) {
    if (item === '') continue;
    if (item === 'stale') {
      out.push(null);
      continue;
    }
    const blank = BLANK.exec(item);
    if (blank !== null) {
      const times = blank[1] === undefined ? 1 : Number(blank[1]);
      for (let i = 0; i < times; i++) out.push(undefined);
      continue;
    }
    const series = SERIES_ITEM.exec(item);
    if (series !== null) {
      const start = number(series[1] as string);
      const step =
        series[2] === undefined ? 0 : number(series[3] as string) * (series[2] === '-' ? -1 : 1);
      const times = Number(series[4]);
      for (let i = 0; i <= times; i++) out.push(start + step * i);
      continue;
    }
    if (new RegExp(`^${NUMBER}$`).test(item)) {
      out.push(number(item));
      continue;
    }
    throw new InvalidRuleError(
      `cannot read the series value ${JSON.stringify(item)} in ${JSON.stringify(text)}`,
    );
  }
  return out;
}
