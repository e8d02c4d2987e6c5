import { expect } from 'vitest';
import { type ContractContext, race } from './contract-context.js';

const N = 8;

/** Two clients of one backend racing: the atomic operations have exactly one winner. */
export function concurrencyContract({ subject, test }: ContractContext): void {
  test('race: of N concurrent compareAndSet(…, 0, …) exactly one wins', async () => {
    const s = subject();
    const results = await race(s, N, (store, i) => store.records.compareAndSet('race', 'k', 0, i));
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    expect(await s.second.records.get('race', 'k')).toEqual(winners[0]);
    expect(winners[0]?.version).toBe(1);
  });

  test('race: of N concurrent compareAndSet at the current version exactly one wins', async () => {
    const s = subject();
    await s.store.records.set('race', 'k', 'start');
    const results = await race(s, N, (store, i) => store.records.compareAndSet('race', 'k', 1, i));
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    expect(await s.store.records.get('race', 'k')).toEqual({ ...winners[0], version: 2 });
  });

  test('race: N concurrent set calls each get their own version', async () => {
    const s = subject();
    const results = await race(s, N, (store, i) => store.records.set('race', 'k', i));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: N }, (_, i) => i + 1),
    );
    expect((await s.store.records.get('race', 'k'))?.version).toBe(N);
  });

  test('race: of N concurrent claims exactly one wins; the others get its value', async () => {
    const s = subject();
    const results = await race(s, N, (store, i) => store.idempotency.claim('race', i, '1m'));
    const winners = results.flatMap((r, i) => (r.claimed ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const result of results) {
      if (!result.claimed) expect(result.value).toBe(winners[0]);
    }
    expect(await s.second.idempotency.get('race')).toBe(winners[0]);
  });

  test('race: of N concurrent acquires by different owners exactly one gets the lease', async () => {
    const s = subject();
    const results = await race(s, N, (store, i) =>
      store.leases.acquire('race', `owner-${i}`, '1m'),
    );
    const holders = results.filter((r) => r !== undefined);
    expect(holders).toHaveLength(1);
    expect(await s.second.leases.get('race')).toEqual(holders[0]);
  });

  test('race: after the lease expires, of N acquires one wins with a higher token', async () => {
    const s = subject();
    const first = await s.store.leases.acquire('race', 'old', '1s');
    s.clock.advance(1_000);
    const results = await race(s, N, (store, i) =>
      store.leases.acquire('race', `owner-${i}`, '1m'),
    );
    const holders = results.filter((r) => r !== undefined);
    expect(holders).toHaveLength(1);
    expect(holders[0]?.token).toBeGreaterThan(first?.token as number);
  });

  test('race: concurrent appends from both clients all land', async () => {
    const s = subject();
    const t = s.clock.now();
    await race(s, N, (store, i) =>
      store.timeSeries.append(
        Array.from({ length: 10 }, (_, j) => ({
          metric: 'race',
          labels: { worker: String(i % 2) },
          timestamp: t + i * 10 + j,
          value: 1,
        })),
      ),
    );
    const results = await s.second.timeSeries.query({
      metric: 'race',
      from: t,
      to: t + 60_000,
      step: 60_000,
      aggregation: 'sum',
    });
    expect(results.map((r) => r.points)).toEqual([[[t, N * 5]], [[t, N * 5]]]);
  });
}
