import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore, StoreError } from '../../src/index.js';
import { corruptMemoryStore, manualClock } from '../../src/testing/index.js';

describe('MemoryStore', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('checks its options once, at construction', () => {
    expect(() => new MemoryStore({ maxPoints: 0 })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: expect.stringMatching(/maxPoints/),
      }),
    );
    expect(() => new MemoryStore({ maxRecords: 1.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => new MemoryStore({ maxIdempotencyKeys: -1 })).toThrow(/maxIdempotencyKeys/);
    expect(() => new MemoryStore({ maxDeadLetters: 0 })).toThrow(/maxDeadLetters/);
    expect(() => new MemoryStore({ retention: 'forever' })).toThrow(
      expect.objectContaining({ code: 'INVALID_DURATION' }),
    );
    expect(() => new MemoryStore({ maxPoint: 5 } as never)).toThrow(
      /unknown option 'maxPoint'.*maxPoints/,
    );
  });

  it('sweeps on its unref()ed timer: old points and expired keys go', async () => {
    vi.useFakeTimers();
    const clock = manualClock();
    const store = new MemoryStore({ clock, retention: '1h', sweepInterval: '10m' });
    const t = clock.now();
    await store.timeSeries.append([
      { metric: 'm', labels: {}, timestamp: t - 2 * 3_600_000, value: 1 },
      { metric: 'm', labels: {}, timestamp: t, value: 2 },
    ]);
    await store.records.set('ns', 'short', 1, { ttl: '1m' });
    await store.records.set('ns', 'long', 1);
    await store.idempotency.claim('k', 1, '1m');
    expect(store.stats()).toMatchObject({ points: 2, records: 2, idempotencyKeys: 1 });
    clock.advance(120_000);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(store.stats()).toMatchObject({ points: 1, records: 1, idempotencyKeys: 0, series: 1 });
    await store.close();
  });

  it('sweep() runs the retention now; retention false keeps points forever', async () => {
    const clock = manualClock();
    const keep = new MemoryStore({ clock, retention: false });
    const drop = new MemoryStore({ clock, retention: '1d' });
    const points = [{ metric: 'm', labels: {}, timestamp: clock.now(), value: 1 }];
    await keep.timeSeries.append(points);
    await drop.timeSeries.append(points);
    clock.advance(86_400_001);
    expect(await keep.sweep()).toBe(0);
    expect(await drop.sweep()).toBe(1);
    expect(keep.stats().points).toBe(1);
    expect(drop.stats().points).toBe(0);
    await keep.close();
    await drop.close();
  });

  it('after close() every call rejects with STORE_UNAVAILABLE; close is idempotent', async () => {
    const store = new MemoryStore();
    await store.records.set('ns', 'k', 1);
    await store.close();
    await store[Symbol.asyncDispose]();
    const calls = [
      () => store.records.get('ns', 'k'),
      () => store.timeSeries.query({ metric: 'm', from: 0, to: 1, step: 1 }),
      () => store.deadLetters.count(),
      () => store.idempotency.get('k'),
      () => store.leases.get('l'),
    ];
    for (const call of calls) {
      await expect(call()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    }
    expect(await store.sweep()).toBe(0);
  });

  it('works with await using', async () => {
    let closed: MemoryStore | undefined;
    {
      await using store = new MemoryStore();
      closed = store;
      await store.leases.acquire('l', 'a', '1m');
    }
    await expect(closed.leases.get('l')).rejects.toBeInstanceOf(StoreError);
  });

  it('stats() counts what it holds and what its caps dropped', async () => {
    const clock = manualClock();
    const store = new MemoryStore({ clock, maxDeadLetters: 1, maxPoints: 2 });
    for (let i = 0; i < 3; i++) {
      await store.deadLetters.add({ queue: 'q', payload: i, error: { message: 'x' }, attempts: 1 });
      await store.timeSeries.append([
        { metric: 'm', labels: { i: String(i) }, timestamp: i, value: i },
      ]);
    }
    await store.leases.acquire('l', 'a', '1m');
    expect(store.stats()).toEqual({
      series: 2,
      points: 2,
      records: 0,
      deadLetters: 1,
      idempotencyKeys: 0,
      leases: 1,
      droppedPoints: 1,
      droppedDeadLetters: 2,
      evictedRecords: 0,
      evictedIdempotencyKeys: 0,
    });
    await store.close();
  });

  it('corruptMemoryStore refuses anything but a MemoryStore', () => {
    expect(() => corruptMemoryStore({} as MemoryStore)).toThrow(/takes a MemoryStore/);
  });
});
