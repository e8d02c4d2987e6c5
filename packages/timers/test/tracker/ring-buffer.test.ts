import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../src/tracker/ring-buffer.js';

const newest = (ring: RingBuffer, count?: number) => {
  const target = new Float64Array(ring.capacity);
  return [...target.subarray(0, ring.copyNewest(target, count))];
};

describe('RingBuffer', () => {
  it('keeps the newest values up to its capacity, oldest first', () => {
    const ring = new RingBuffer(3);
    expect(ring.push(1)).toBeUndefined();
    ring.push(2);
    expect(newest(ring)).toEqual([1, 2]);
    ring.push(3);
    expect(ring.push(4)).toBe(1);
    expect(ring.push(5)).toBe(2);
    expect(ring.size).toBe(3);
    expect(newest(ring)).toEqual([3, 4, 5]);
    expect(newest(ring, 2)).toEqual([4, 5]);
  });

  it('clear() empties it', () => {
    const ring = new RingBuffer(2);
    ring.push(1);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(newest(ring)).toEqual([]);
  });
});
