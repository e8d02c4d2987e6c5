import type { MemorySeries } from './memory-series.js';

interface Head {
  series: MemorySeries;
  /** Index of the series' next point not yet chosen. */
  index: number;
  time: number;
}

/**
 * Chooses the `count` oldest points across every series (a k-way merge on a min-heap of series
 * heads) and answers how many to drop from the front of each series.
 */
export function oldestPoints(
  all: Iterable<MemorySeries>,
  count: number,
): Map<MemorySeries, number> {
  const heap: Head[] = [];
  for (const series of all) {
    if (series.size > 0) heap.push({ series, index: 0, time: series.oldest });
  }
  for (let i = (heap.length >>> 1) - 1; i >= 0; i--) siftDown(heap, i);
  const chosen = new Map<MemorySeries, number>();
  for (let left = count; left > 0 && heap.length > 0; left--) {
    const head = heap[0] as Head;
    chosen.set(head.series, head.index + 1);
    head.index++;
    const next = head.series.timeAt(head.index);
    if (next === undefined) {
      const last = heap.pop() as Head;
      if (heap.length > 0) heap[0] = last;
    } else head.time = next;
    siftDown(heap, 0);
  }
  return chosen;
}

function siftDown(heap: Head[], start: number): void {
  let index = start;
  for (;;) {
    const left = 2 * index + 1;
    const right = left + 1;
    let smallest = index;
    if (left < heap.length && (heap[left] as Head).time < (heap[smallest] as Head).time)
      smallest = left;
    if (right < heap.length && (heap[right] as Head).time < (heap[smallest] as Head).time)
      smallest = right;
    if (smallest === index) return;
    [heap[index], heap[smallest]] = [heap[smallest] as Head, heap[index] as Head];
    index = smallest;
  }
}
