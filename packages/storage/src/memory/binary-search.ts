/** Index of the first element of the sorted `array` that is `>= value` (`array.length` if none). */
export function lowerBound(array: readonly number[], value: number): number {
  let low = 0;
  let high = array.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((array[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the first element of the sorted `array` that is `> value` (`array.length` if none). */
export function upperBound(array: readonly number[], value: number): number {
  let low = 0;
  let high = array.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((array[middle] as number) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
