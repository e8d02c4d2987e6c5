import { expect } from 'vitest';
import type { Aggregation, SeriesPoint } from '../time-series-store.js';
import { type ContractContext, expectStoreError } from './contract-context.js';

const INVALID = 'STORE_INVALID_ARGUMENT';

// Arguments a typed caller cannot write, as a JavaScript caller or bad data can.
// biome-ignore lint/suspicious/noExplicitAny: deliberately ill-typed arguments.
type Any = any;

/** Bad arguments are refused with `STORE_INVALID_ARGUMENT`, before anything is written. */
export function argumentsContract({ subject, test }: ContractContext): void {
  test('bad arguments: records', async () => {
    const { records } = subject().store;
    await expectStoreError(() => records.get('', 'k'), INVALID);
    await expectStoreError(() => records.get('ns', ''), INVALID);
    await expectStoreError(() => records.set('ns', 'k', undefined), INVALID);
    await expectStoreError(() => records.set('ns', 'k', 10n), INVALID);
    await expectStoreError(() => records.set('ns', 'k', 1, { ttl: 0 }), INVALID);
    await expectStoreError(() => records.set('ns', 'k', 1, { ttl: -5 }), INVALID);
    await expectStoreError(() => records.set('ns', 'k', 1, { ttl: 'soon' }), INVALID);
    await expectStoreError(() => records.compareAndSet('ns', 'k', -1, 1), INVALID);
    await expectStoreError(() => records.compareAndSet('ns', 'k', 1.5, 1), INVALID);
    await expectStoreError(() => records.compareAndSet('ns', 'k', 0, undefined), INVALID);
    await expectStoreError(() => records.delete('ns', ''), INVALID);
    await expectStoreError(() => records.list('', ''), INVALID);
    await expectStoreError(() => records.list('ns', '', { limit: 0 }), INVALID);
    await expectStoreError(() => records.list('ns', '', { limit: 10_001 }), INVALID);
    await expectStoreError(() => records.list('ns', '', { limit: 2.5 }), INVALID);
    expect(await records.get('ns', 'k')).toBeUndefined();
  });

  test('bad arguments: dead letters', async () => {
    const { deadLetters } = subject().store;
    const good = { queue: 'q', payload: 1, error: { message: 'm' }, attempts: 1 };
    await expectStoreError(() => deadLetters.add({ ...good, queue: '' }), INVALID);
    await expectStoreError(() => deadLetters.add({ ...good, attempts: -1 }), INVALID);
    await expectStoreError(() => deadLetters.add({ ...good, failedAt: Number.NaN }), INVALID);
    await expectStoreError(() => deadLetters.add({ ...good, error: {} as Any }), INVALID);
    await expectStoreError(() => deadLetters.add({ ...good, payload: 10n }), INVALID);
    await expectStoreError(() => deadLetters.add({ ...good, id: '' }), INVALID);
    await expectStoreError(() => deadLetters.list({ limit: 0 }), INVALID);
    expect(await deadLetters.count()).toBe(0);
  });

  test('bad arguments: idempotency keys and leases', async () => {
    const { idempotency, leases } = subject().store;
    await expectStoreError(() => idempotency.claim('', 1, '1m'), INVALID);
    await expectStoreError(() => idempotency.claim('k', undefined, '1m'), INVALID);
    await expectStoreError(() => idempotency.claim('k', 1, 0), INVALID);
    await expectStoreError(() => idempotency.claim('k', 1, 'later'), INVALID);
    await expectStoreError(() => idempotency.update('k', undefined), INVALID);
    await expectStoreError(() => idempotency.get(''), INVALID);
    await expectStoreError(() => idempotency.release(''), INVALID);
    expect(await idempotency.get('k')).toBeUndefined();
    await expectStoreError(() => leases.acquire('', 'a', '1m'), INVALID);
    await expectStoreError(() => leases.acquire('l', '', '1m'), INVALID);
    await expectStoreError(() => leases.acquire('l', 'a', 0), INVALID);
    await expectStoreError(() => leases.acquire('l', 'a', '-1s'), INVALID);
    await expectStoreError(() => leases.renew('l', 'a', 0), INVALID);
    await expectStoreError(() => leases.release('l', ''), INVALID);
    await expectStoreError(() => leases.get(''), INVALID);
    expect(await leases.get('l')).toBeUndefined();
  });

  test('bad arguments: series points and queries (a bad batch writes nothing)', async () => {
    const { store, clock } = subject();
    const t = clock.now();
    const good: SeriesPoint = { metric: 'cpu', labels: { host: 'a' }, timestamp: t, value: 1 };
    const bad: SeriesPoint[] = [
      { ...good, value: Number.NaN },
      { ...good, value: Number.POSITIVE_INFINITY },
      { ...good, timestamp: Number.NaN },
      { ...good, metric: '' },
      { ...good, labels: { host: 7 } as Any },
      { ...good, labels: null as Any },
    ];
    for (const point of bad)
      await expectStoreError(() => store.timeSeries.append([good, point]), INVALID);
    await expectStoreError(() => store.timeSeries.append('points' as Any), INVALID);
    const query = { metric: 'cpu', from: t, to: t + 60_000, step: 1_000 };
    expect(await store.timeSeries.query(query)).toEqual([]);
    await expectStoreError(() => store.timeSeries.query({ ...query, step: 0 }), INVALID);
    await expectStoreError(() => store.timeSeries.query({ ...query, step: -1 }), INVALID);
    await expectStoreError(() => store.timeSeries.query({ ...query, from: t + 1, to: t }), INVALID);
    await expectStoreError(() => store.timeSeries.query({ ...query, to: Number.NaN }), INVALID);
    await expectStoreError(() => store.timeSeries.query({ ...query, metric: '' }), INVALID);
    await expectStoreError(
      () => store.timeSeries.query({ ...query, aggregation: 'median' as Aggregation }),
      INVALID,
    );
  });
}
