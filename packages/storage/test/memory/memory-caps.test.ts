import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/index.js';
import { corruptMemoryStore, manualClock } from '../../src/testing/index.js';

describe('MemoryStore caps and repairs', () => {
  it('maxRecords: expired records go first, then the least recently written', async () => {
    const clock = manualClock();
    const store = new MemoryStore({ clock, maxRecords: 3 });
    await store.records.set('ns', 'a', 1);
    await store.records.set('ns', 'b', 1, { ttl: '1s' });
    await store.records.set('other', 'c', 1);
    clock.advance(1_000);
    await store.records.set('ns', 'd', 1); // b had expired: nothing live is evicted
    expect(store.stats()).toMatchObject({ records: 3, evictedRecords: 0 });
    await store.records.set('ns', 'a', 2); // rewriting a makes c the least recently written
    await store.records.set('ns', 'e', 1);
    expect(store.stats()).toMatchObject({ records: 3, evictedRecords: 1 });
    expect(await store.records.get('other', 'c')).toBeUndefined();
    expect((await store.records.list('ns', '')).records.map((r) => r.key)).toEqual(['a', 'd', 'e']);
    await store.close();
  });

  it('maxIdempotencyKeys: the least recently written key is evicted; it can be claimed again', async () => {
    const store = new MemoryStore({ maxIdempotencyKeys: 2 });
    await store.idempotency.claim('a', 1, '1h');
    await store.idempotency.claim('b', 1, '1h');
    await store.idempotency.update('a', 2);
    await store.idempotency.claim('c', 1, '1h');
    expect(store.stats()).toMatchObject({ idempotencyKeys: 2, evictedIdempotencyKeys: 1 });
    expect(await store.idempotency.get('a')).toBe(2);
    expect(await store.idempotency.claim('b', 3, '1h')).toEqual({ claimed: true });
    await store.close();
  });

  it('a corrupt record, letter or key can be removed, which repairs it', async () => {
    const store = new MemoryStore();
    const corrupt = corruptMemoryStore(store);
    await store.records.set('ns', 'k', 1);
    await corrupt.record('ns', 'k');
    await expect(store.records.set('ns', 'k', 2)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    expect(await store.records.delete('ns', 'k')).toBe(true);
    expect(await store.records.set('ns', 'k', 2)).toMatchObject({ version: 1 });
    const letter = await store.deadLetters.add({
      queue: 'q',
      payload: 1,
      error: { message: 'm' },
      attempts: 1,
    });
    await corrupt.deadLetter(letter.id);
    expect(await store.deadLetters.remove(letter.id)).toBe(true);
    expect(await store.deadLetters.count()).toBe(0);
    await store.idempotency.claim('key', 1, '1h');
    await corrupt.idempotency('key');
    expect(await store.idempotency.release('key')).toBe(true);
    expect(await store.idempotency.claim('key', 2, '1h')).toEqual({ claimed: true });
    await store.close();
  });

  it('a dead-letter cursor that list() did not return is a bad argument', async () => {
    const store = new MemoryStore();
    await expect(store.deadLetters.list({ cursor: 'nonsense' })).rejects.toMatchObject({
      code: 'STORE_INVALID_ARGUMENT',
    });
    await store.close();
  });
});
