import { expect } from 'vitest';
import type { ContractContext } from './contract-context.js';

/** `IdempotencyStore`: claim once, stored value for the losers, update, get, release, TTL. */
export function idempotencyContract({ subject, test }: ContractContext): void {
  test('idempotency: the first claim wins; later claims lose and get the stored value', async () => {
    const { idempotency } = subject().store;
    expect(await idempotency.claim('order-1', { status: 'pending' }, '1h')).toEqual({
      claimed: true,
    });
    expect(await idempotency.claim('order-1', { status: 'other' }, '1h')).toEqual({
      claimed: false,
      value: { status: 'pending' },
    });
    expect(await idempotency.get('order-1')).toEqual({ status: 'pending' });
    expect(await idempotency.claim('order-2', null, '1h')).toEqual({ claimed: true });
    expect(await idempotency.claim('order-2', 'x', '1h')).toEqual({ claimed: false, value: null });
    expect(await idempotency.get('missing')).toBeUndefined();
  });

  test('idempotency: update replaces the value of a live key and keeps its TTL', async () => {
    const { store, clock } = subject();
    expect(await store.idempotency.update('job', 'done')).toBe(false);
    expect(await store.idempotency.get('job')).toBeUndefined();
    await store.idempotency.claim('job', 'pending', '10s');
    clock.advance(5_000);
    expect(await store.idempotency.update('job', { result: 42 })).toBe(true);
    expect(await store.idempotency.get('job')).toEqual({ result: 42 });
    expect(await store.idempotency.claim('job', 'pending', '10s')).toEqual({
      claimed: false,
      value: { result: 42 },
    });
    clock.advance(5_000);
    expect(await store.idempotency.get('job')).toBeUndefined();
    expect(await store.idempotency.update('job', 'late')).toBe(false);
  });

  test('idempotency: release forgets the key so that the next claim wins', async () => {
    const { idempotency } = subject().store;
    await idempotency.claim('retry', 'first run', '1h');
    expect(await idempotency.release('retry')).toBe(true);
    expect(await idempotency.get('retry')).toBeUndefined();
    expect(await idempotency.release('retry')).toBe(false);
    expect(await idempotency.claim('retry', 'second run', '1h')).toEqual({ claimed: true });
    expect(await idempotency.get('retry')).toBe('second run');
  });

  test('idempotency: a key expires on the store clock, then a claim wins again', async () => {
    const { store, clock } = subject();
    await store.idempotency.claim('ttl', 1, 10_000);
    clock.advance(9_999);
    expect(await store.idempotency.claim('ttl', 2, 10_000)).toEqual({ claimed: false, value: 1 });
    clock.advance(1);
    expect(await store.idempotency.get('ttl')).toBeUndefined();
    expect(await store.idempotency.release('ttl')).toBe(false);
    expect(await store.idempotency.claim('ttl', 3, '1m')).toEqual({ claimed: true });
    expect(await store.idempotency.get('ttl')).toBe(3);
    clock.advance(59_999);
    expect(await store.idempotency.get('ttl')).toBe(3);
  });
}
