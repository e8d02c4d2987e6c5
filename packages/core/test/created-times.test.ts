import { describe, expect, it } from 'vitest';
import { CreatedTimes } from '../src/created-times.js';
import { Registry } from '../src/index.js';
import { manualClock } from '../src/testing/index.js';

describe('CreatedTimes', () => {
  it('reads back whole-ms times, across growth', () => {
    const times = new CreatedTimes();
    times.grow(8);
    const base = 1_700_000_000_000;
    for (let id = 0; id < 8; id++) times.set(id, base + id * 1000);
    times.grow(16);
    times.set(8, base + 0xffff_ffff);
    for (let id = 0; id < 8; id++) expect(times.get(id)).toBe(base + id * 1000);
    expect(times.get(8)).toBe(base + 0xffff_ffff);
  });

  it.each([
    ['a fraction of a ms', 1_700_000_000_123.25],
    ['a time before the first', 1_600_000_000_000],
    ['a time 50 days after the first', 1_700_000_000_000 + 50 * 86_400_000],
  ])('keeps every time exact after %s', (_, time) => {
    const times = new CreatedTimes();
    times.grow(8);
    times.set(0, 1_700_000_000_000);
    times.set(1, 1_700_000_000_500);
    times.set(2, time);
    times.grow(16);
    times.set(9, 1_700_000_000_001.5);
    expect([0, 1, 2, 9].map((id) => times.get(id))).toEqual([
      1_700_000_000_000,
      1_700_000_000_500,
      time,
      1_700_000_000_001.5,
    ]);
  });
});

describe('the created time of a series', () => {
  it('is what the clock said, fraction and all, in snapshots and OpenMetrics', async () => {
    const clock = manualClock(1_700_000_000_000);
    const registry = new Registry({ clock });
    const counter = registry.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'] });
    counter.inc({ queue: 'a' });
    clock.set(1_699_000_000_000.5);
    counter.inc({ queue: 'b' });
    expect(counter.snapshot().series.map((s) => s.created)).toEqual([
      1_700_000_000_000, 1_699_000_000_000.5,
    ]);
    expect(await registry.metrics({ format: 'openmetrics' })).toContain(
      'jobs_created{queue="b"} 1699000000.0005\n',
    );
  });
});
