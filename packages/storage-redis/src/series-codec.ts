import { cellOf, corrupt, type RollupCell } from '@vigil/storage/adapter';

/** A raw point member `seq:timestamp:value` as a one-point cell; `STORE_CORRUPT` otherwise. */
export function decodeRawPoint(what: string, member: string): readonly [number, RollupCell] {
  const parts = member.split(':');
  const timestamp = Number(parts[1]);
  const value = Number(parts[2]);
  if (
    parts.length !== 3 ||
    !/^[0-9a-f]{16}$/.test(parts[0] as string) ||
    !isNumber(parts[1], timestamp) ||
    !isNumber(parts[2], value)
  ) {
    throw corrupt(what, `a raw point should be seq:timestamp:value, got ${JSON.stringify(member)}`);
  }
  return [timestamp, cellOf(timestamp, value)];
}

/** A rollup member `start:count:sum:min:max:last:lastAt`; `STORE_CORRUPT` otherwise. */
export function decodeRollupCell(what: string, member: string): readonly [number, RollupCell] {
  const parts = member.split(':');
  const numbers = parts.map(Number);
  const [start, count, sum, min, max, last, lastAt] = numbers as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (
    parts.length !== 7 ||
    !parts.every((part, i) => isNumber(part, numbers[i] as number)) ||
    !Number.isInteger(count) ||
    count < 1 ||
    min > max
  ) {
    throw corrupt(
      what,
      `a rollup cell should be start:count:sum:min:max:last:lastAt, got ${JSON.stringify(member)}`,
    );
  }
  return [start, { count, sum, min, max, last, lastAt }];
}

function isNumber(text: string | undefined, parsed: number): boolean {
  return text !== undefined && text.trim() !== '' && Number.isFinite(parsed);
}
