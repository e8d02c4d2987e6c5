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

describe('PostgresIdempotencyStore', () => {
  it('lets exactly one of many racing claims win; the others get its value', async () => {
    await setup();
    const second = new PostgresStore({ url: postgresUrl(), schema, clock });
    try {
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? store : second).idempotency.claim('job-1', { run: i }, '1m'),
        ),
      );
      const winners = claims.flatMap((claim, i) => (claim.claimed ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const claim of claims) {
        if (!claim.claimed) expect(claim.value).toEqual({ run: winners[0] });
      }
    } finally {
      await second.close();
    }
  });

  it('frees a key when its TTL passes on the injected clock, or when released', async () => {
    await setup();
    expect(await store.idempotency.claim('k', 'first', '1m')).toEqual({ claimed: true });
    expect(await store.idempotency.update('k', 'done')).toBe(true);
    expect(await store.idempotency.claim('k', 'again', '1m')).toEqual({
      claimed: false,
      value: 'done',
    });
    clock.advance(60_000);
    expect(await store.idempotency.get('k')).toBeUndefined();
    expect(await store.idempotency.update('k', 'late')).toBe(false);
    expect(await store.idempotency.claim('k', 'third', '1m')).toEqual({ claimed: true });
    expect(await store.idempotency.release('k')).toBe(true);
    expect(await store.idempotency.release('k')).toBe(false);
  });

  it('rejects a value changed behind its back as STORE_CORRUPT', async () => {
    await setup();
    await store.idempotency.claim('k', { ok: true }, '1m');
    await raw(`UPDATE "${schema}".idempotency_keys SET value = '{"unterminated'`);
    expect(await rejection(store.idempotency.get('k'))).toMatchObject({ code: 'STORE_CORRUPT' });
    expect(await rejection(store.idempotency.claim('k', 1, '1m'))).toMatchObject({
      code: 'STORE_CORRUPT',
    });
  });
});
