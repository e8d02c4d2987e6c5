import { afterEach, describe, expect, it } from 'vitest';
import { type TamperedStore, tamperedStore } from './support/tampered-store.js';

const subjects: TamperedStore[] = [];
afterEach(async () => {
  for (const subject of subjects.splice(0)) await subject.close();
});

const CORRUPT_KEY = expect.objectContaining({
  code: 'STORE_CORRUPT',
  message: expect.stringMatching(/idempotency key 'export-42'/),
});

describe('SqliteIdempotencyStore with rows edited behind its back', () => {
  it.each<[string, string]>([
    ['text', "'tomorrow'"],
    ['+Infinity', '9e999'],
  ])('a key whose expiry is %s is STORE_CORRUPT, never live forever', async (_, expiry) => {
    const subject = tamperedStore();
    subjects.push(subject);
    const { idempotency } = subject.store;
    expect(await idempotency.claim('export-42', 'running', '1m')).toEqual({ claimed: true });
    subject.db
      .prepare(`UPDATE vigil_idempotency SET expires_at = ${expiry} WHERE key = 'export-42'`)
      .run();
    subject.clock.advance(3_600_000); // long past the TTL
    await expect(idempotency.get('export-42')).rejects.toEqual(CORRUPT_KEY);
    await expect(idempotency.claim('export-42', 'again', '1m')).rejects.toEqual(CORRUPT_KEY);
    await expect(idempotency.update('export-42', 'done')).rejects.toEqual(CORRUPT_KEY);
    // Releasing the key is how it gets repaired (as in the memory store).
    expect(await idempotency.release('export-42')).toBe(true);
    expect(await idempotency.claim('export-42', 'again', '1m')).toEqual({ claimed: true });
    expect(await idempotency.get('export-42')).toBe('again');
  });
});
