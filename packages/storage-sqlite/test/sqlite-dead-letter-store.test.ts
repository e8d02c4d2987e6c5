import type { DeadLetter, DeadLetterPage } from '@vigil/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { type TamperedStore, tamperedStore } from './support/tampered-store.js';

const subjects: TamperedStore[] = [];
afterEach(async () => {
  for (const subject of subjects.splice(0)) await subject.close();
});

async function withLetters(ids: readonly string[]): Promise<TamperedStore> {
  const subject = tamperedStore();
  subjects.push(subject);
  for (const [i, id] of ids.entries()) {
    await subject.store.deadLetters.add({
      id,
      queue: 'emails',
      payload: { i },
      error: { message: 'SMTP 421' },
      attempts: 3,
      failedAt: 1_000 * (i + 1),
    });
  }
  return subject;
}

/**
 * Pages through every letter one at a time. Stops after `bound` pages, so that a cursor that
 * loops fails the test instead of hanging it.
 */
async function pageAll(
  subject: TamperedStore,
  bound = 20,
): Promise<{ ids: string[]; error?: unknown }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < bound; page++) {
    let answer: DeadLetterPage;
    try {
      answer = await subject.store.deadLetters.list({ limit: 1, ...(cursor ? { cursor } : {}) });
    } catch (error) {
      return { ids, error };
    }
    ids.push(...answer.letters.map((letter: DeadLetter) => letter.id));
    if (answer.cursor === undefined) return { ids };
    cursor = answer.cursor;
  }
  throw new Error(`paging did not end after ${bound} pages: ${ids.join(' ')}`);
}

const CORRUPT_B = expect.objectContaining({
  code: 'STORE_CORRUPT',
  message: expect.stringMatching(/dead letter 'b'.*failedAt/),
});

describe('SqliteDeadLetterStore with rows edited behind its back', () => {
  it('paging ends when failed_at is earlier in the letter than in its column', async () => {
    const subject = await withLetters(['a', 'b', 'c', 'd']);
    // The column sorts b last; the letter says it failed second.
    subject.db.prepare("UPDATE vigil_dead_letters SET failed_at = 99000 WHERE id = 'b'").run();
    const { ids, error } = await pageAll(subject);
    expect(ids).toEqual(['a', 'c', 'd']);
    expect(error).toEqual(CORRUPT_B);
  });

  it('paging skips no letter when failed_at is later in the letter than in its column', async () => {
    const subject = await withLetters(['a', 'b', 'c', 'd']);
    subject.db
      .prepare(
        "UPDATE vigil_dead_letters SET letter = json_set(letter, '$.failedAt', 99000) WHERE id = 'b'",
      )
      .run();
    const { ids, error } = await pageAll(subject);
    expect(ids).toEqual(['a']);
    expect(error).toEqual(CORRUPT_B);
    // Removing the damaged letter (by its id) repairs the list: nothing was skipped.
    expect(await subject.store.deadLetters.remove('b')).toBe(true);
    expect(await pageAll(subject)).toEqual({ ids: ['a', 'c', 'd'] });
  });

  it('a letter whose id or queue disagrees with its row is STORE_CORRUPT', async () => {
    const subject = await withLetters(['a', 'b']);
    const { deadLetters } = subject.store;
    subject.db
      .prepare(
        "UPDATE vigil_dead_letters SET letter = json_set(letter, '$.id', 'a') WHERE id = 'b'",
      )
      .run();
    const corruptB = expect.objectContaining({
      code: 'STORE_CORRUPT',
      message: expect.stringMatching(/dead letter 'b'/),
    });
    await expect(deadLetters.get('b')).rejects.toEqual(corruptB);
    await expect(deadLetters.list()).rejects.toEqual(corruptB);

    subject.db
      .prepare(
        "UPDATE vigil_dead_letters SET letter = json_set(letter, '$.queue', 'sms') WHERE id = 'a'",
      )
      .run();
    await expect(deadLetters.get('a')).rejects.toEqual(
      expect.objectContaining({ code: 'STORE_CORRUPT', message: expect.stringMatching(/'a'/) }),
    );
    await expect(deadLetters.list({ queue: 'emails' })).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
    });
  });
});
