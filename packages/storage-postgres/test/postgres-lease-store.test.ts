import { type ManualClock, manualClock } from '@vigil/storage/testing';
import { rejection } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index.js';
import { openStore, postgresUrl, raw } from './support/postgres.js';

let clock: ManualClock;
let store: PostgresStore;
let schema: string;
let cleanup: () => Promise<void>;

async function setup(): Promise<void> {
  clock = manualClock();
  ({ store, schema, cleanup } = await openStore({ clock }));
}

afterEach(async () => {
  await cleanup();
});

describe('PostgresLeaseStore', () => {
  it('gives a racing lease to exactly one of two clients', async () => {
    await setup();
    const second = new PostgresStore({ url: postgresUrl(), schema, clock });
    try {
      const [a, b] = await Promise.all([
        store.leases.acquire('leader', 'a', '10s'),
        second.leases.acquire('leader', 'b', '10s'),
      ]);
      expect([a, b].filter((lease) => lease !== undefined)).toHaveLength(1);
      const holder = (a ?? b)?.owner;
      expect((await second.leases.get('leader'))?.owner).toBe(holder);
    } finally {
      await second.close();
    }
  });

  it('raises the fencing token on every new holder, never within one holding', async () => {
    await setup();
    const first = await store.leases.acquire('job', 'a', '10s');
    expect(first).toEqual({ name: 'job', owner: 'a', token: 1, expiresAt: clock.now() + 10_000 });
    clock.advance(5_000);
    expect((await store.leases.renew('job', 'a', '10s'))?.token).toBe(1);
    expect((await store.leases.acquire('job', 'a', '10s'))?.token).toBe(1);
    expect(await store.leases.acquire('job', 'b', '10s')).toBeUndefined();
    clock.advance(10_000);
    expect(await store.leases.renew('job', 'a', '10s')).toBeUndefined();
    expect((await store.leases.acquire('job', 'b', '10s'))?.token).toBe(2);
    expect(await store.leases.release('job', 'a')).toBe(false);
    expect(await store.leases.release('job', 'b')).toBe(true);
    expect(await store.leases.get('job')).toBeUndefined();
    expect((await store.leases.acquire('job', 'b', '10s'))?.token).toBe(3);
  });

  it('uses the injected clock, not the server clock, for expiry', async () => {
    await setup();
    await store.leases.acquire('job', 'a', '1s');
    clock.advance(999);
    expect((await store.leases.get('job'))?.owner).toBe('a');
    clock.advance(1);
    expect(await store.leases.get('job')).toBeUndefined();
  });

  it('rejects a lease row changed behind its back as STORE_CORRUPT', async () => {
    await setup();
    await store.leases.acquire('job', 'a', '10s');
    await raw(`UPDATE "${schema}".leases SET token = -4`);
    expect(await rejection(store.leases.get('job'))).toMatchObject({ code: 'STORE_CORRUPT' });
  });
});
