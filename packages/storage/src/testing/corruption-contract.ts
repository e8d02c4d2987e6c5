import { expect } from 'vitest';
import { type ContractContext, expectStoreError } from './contract-context.js';

/** Malformed data written behind the store's back is rejected with `STORE_CORRUPT` on read. */
export function corruptionContract({ subject, test }: ContractContext): void {
  test('corrupt: a record is rejected by get and list', async () => {
    const { store, corrupt } = subject();
    await store.records.set('ns', 'good', 1);
    await store.records.set('ns', 'bad', { ok: true });
    await corrupt.record('ns', 'bad');
    await expectStoreError(() => store.records.get('ns', 'bad'), 'STORE_CORRUPT');
    await expectStoreError(() => store.records.list('ns', ''), 'STORE_CORRUPT');
    expect(await store.records.get('ns', 'good')).toMatchObject({ value: 1 });
  });

  test('corrupt: a dead letter is rejected by get and list', async () => {
    const { store, corrupt } = subject();
    const letter = await store.deadLetters.add({
      queue: 'q',
      payload: {},
      error: { message: 'x' },
      attempts: 1,
    });
    await corrupt.deadLetter(letter.id);
    await expectStoreError(() => store.deadLetters.get(letter.id), 'STORE_CORRUPT');
    await expectStoreError(() => store.deadLetters.list(), 'STORE_CORRUPT');
  });

  test('corrupt: an idempotency key is rejected by get and by a later claim', async () => {
    const { store, corrupt } = subject();
    await store.idempotency.claim('key', { result: 1 }, '1h');
    await corrupt.idempotency('key');
    await expectStoreError(() => store.idempotency.get('key'), 'STORE_CORRUPT');
    await expectStoreError(() => store.idempotency.claim('key', 2, '1h'), 'STORE_CORRUPT');
  });

  test('corrupt: a lease is rejected by get', async () => {
    const { store, corrupt } = subject();
    await store.leases.acquire('leader', 'a', '1m');
    await corrupt.lease('leader');
    await expectStoreError(() => store.leases.get('leader'), 'STORE_CORRUPT');
  });

  test('corrupt: a series makes its query reject', async () => {
    const { store, clock, corrupt } = subject();
    const t = clock.now();
    await store.timeSeries.append([
      { metric: 'cpu', labels: { host: 'a' }, timestamp: t, value: 1 },
      { metric: 'cpu', labels: { host: 'b' }, timestamp: t + 1, value: 2 },
    ]);
    await corrupt.series('cpu');
    for (const step of [1_000, 60_000]) {
      await expectStoreError(
        () => store.timeSeries.query({ metric: 'cpu', from: t, to: t + 120_000, step }),
        'STORE_CORRUPT',
      );
    }
  });
}
