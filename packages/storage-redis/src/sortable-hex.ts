/**
 * A number as 16 hex digits whose string order is the numeric order (the IEEE 754 bits with the
 * sign bit flipped for positives and every bit flipped for negatives; -0 is taken as 0). Sorted
 * set members that start with it sort by that number under `ZRANGEBYLEX`.
 */
export function sortableHex(value: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value === 0 ? 0 : value);
  let high = view.getUint32(0);
  let low = view.getUint32(4);
  if (high >= 0x8000_0000) {
    high = ~high >>> 0;
    low = ~low >>> 0;
  } else {
    high = (high | 0x8000_0000) >>> 0;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}
