import { expect } from 'vitest';
import type { NewDeadLetter } from '../dead-letter-store.js';
import type { ContractContext } from './contract-context.js';

function letter(overrides: Partial<NewDeadLetter> = {}): NewDeadLetter {
  return {
    queue: 'emails',
    payload: { to: 'ada@example.com', attempt: [1, 2] },
    error: { message: 'SMTP 421', name: 'SmtpError', code: 'EPROTOCOL' },
    attempts: 3,
    ...overrides,
  };
}

/** `DeadLetterStore` (the subject's store has `maxDeadLetters: 5`). */
export function deadLetterContract({ subject, test }: ContractContext): void {
  test('dead letters: add without id gets a fresh id and failedAt = now', async () => {
    const { store, clock } = subject();
    const first = await store.deadLetters.add(letter());
    const second = await store.deadLetters.add(letter());
    expect(first.id).toEqual(expect.any(String));
    expect(first.id.length).toBeGreaterThan(0);
    expect(second.id).not.toBe(first.id);
    expect(first).toEqual({ ...letter(), id: first.id, failedAt: clock.now() });
    expect(await store.deadLetters.get(first.id)).toEqual(first);
    expect(await store.deadLetters.get('missing')).toBeUndefined();
  });

  test('dead letters: add with id and failedAt keeps them, metadata included', async () => {
    const { store, clock } = subject();
    const input = letter({
      id: 'job-42',
      failedAt: clock.now() - 5_000,
      metadata: { host: 'a', tries: [1, 2] },
      error: { message: 'boom', stack: 'Error: boom\n    at x' },
    });
    expect(await store.deadLetters.add(input)).toEqual(input);
    expect(await store.deadLetters.get('job-42')).toEqual(input);
  });

  test('dead letters: adding an existing id replaces the letter', async () => {
    const { store, clock } = subject();
    await store.deadLetters.add(letter({ id: 'same', payload: 1, failedAt: clock.now() }));
    await store.deadLetters.add(letter({ id: 'other', failedAt: clock.now() + 1 }));
    const replaced = await store.deadLetters.add(
      letter({ id: 'same', payload: 2, attempts: 4, failedAt: clock.now() + 2 }),
    );
    expect(replaced).toMatchObject({ id: 'same', payload: 2, attempts: 4 });
    expect(await store.deadLetters.get('same')).toEqual(replaced);
    expect(await store.deadLetters.count()).toBe(2);
    const { letters } = await store.deadLetters.list();
    expect(letters.map((l) => l.id)).toEqual(['other', 'same']);
    expect(store.deadLetters.dropped()).toBe(0);
  });

  test('dead letters: list is oldest first (failedAt, then id) with queue/from/to filters', async () => {
    const { store, clock } = subject();
    const t = clock.now();
    await store.deadLetters.add(letter({ id: 'e', queue: 'b', failedAt: t + 3 }));
    await store.deadLetters.add(letter({ id: 'c', queue: 'a', failedAt: t + 2 }));
    await store.deadLetters.add(letter({ id: 'a', queue: 'a', failedAt: t }));
    await store.deadLetters.add(letter({ id: 'b', queue: 'b', failedAt: t + 2 }));
    await store.deadLetters.add(letter({ id: 'd', queue: 'a', failedAt: t + 4 }));
    const ids = async (filter: Parameters<typeof store.deadLetters.list>[0]) =>
      (await store.deadLetters.list(filter)).letters.map((l) => l.id);
    expect(await ids({})).toEqual(['a', 'b', 'c', 'e', 'd']);
    expect(await ids({ queue: 'a' })).toEqual(['a', 'c', 'd']);
    expect(await ids({ from: t + 2 })).toEqual(['b', 'c', 'e', 'd']);
    expect(await ids({ to: t + 3 })).toEqual(['a', 'b', 'c']);
    expect(await ids({ queue: 'b', from: t + 1, to: t + 4 })).toEqual(['b', 'e']);
    expect(await ids({ queue: 'none' })).toEqual([]);
    expect(await store.deadLetters.count()).toBe(5);
    expect(await store.deadLetters.count({ queue: 'a' })).toBe(3);
    expect(await store.deadLetters.count({ from: t + 2, to: t + 4 })).toBe(3);
    expect(await store.deadLetters.count({ queue: 'b', to: t + 3 })).toBe(1);
  });

  test('dead letters: list pages with limit and cursor, filters kept', async () => {
    const { store, clock } = subject();
    const t = clock.now();
    for (let i = 0; i < 5; i++) {
      await store.deadLetters.add(
        letter({ id: `l${i}`, queue: i === 2 ? 'x' : 'q', failedAt: t + i }),
      );
    }
    const pages = async (filter: { queue?: string; limit: number }) => {
      const out: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store.deadLetters.list(
          cursor === undefined ? filter : { ...filter, cursor },
        );
        out.push(page.letters.map((l) => l.id));
        cursor = page.cursor;
        expect(out.length).toBeLessThan(10);
      } while (cursor !== undefined);
      return out;
    };
    expect(await pages({ limit: 2 })).toEqual([['l0', 'l1'], ['l2', 'l3'], ['l4']]);
    expect(await pages({ queue: 'q', limit: 2 })).toEqual([
      ['l0', 'l1'],
      ['l3', 'l4'],
    ]);
    expect(await pages({ limit: 5 })).toEqual([['l0', 'l1', 'l2', 'l3', 'l4']]);
  });

  test('dead letters: remove answers whether it removed', async () => {
    const { store } = subject();
    const added = await store.deadLetters.add(letter());
    expect(await store.deadLetters.remove(added.id)).toBe(true);
    expect(await store.deadLetters.get(added.id)).toBeUndefined();
    expect(await store.deadLetters.remove(added.id)).toBe(false);
    expect(await store.deadLetters.count()).toBe(0);
    expect((await store.deadLetters.list()).letters).toEqual([]);
  });

  test('dead letters: purge removes letters that failed before a time', async () => {
    const { store, clock } = subject();
    const t = clock.now();
    for (let i = 0; i < 4; i++)
      await store.deadLetters.add(letter({ id: `p${i}`, failedAt: t + i * 1_000 }));
    expect(await store.deadLetters.purge(t + 2_000)).toBe(2);
    expect((await store.deadLetters.list()).letters.map((l) => l.id)).toEqual(['p2', 'p3']);
    expect(await store.deadLetters.purge(t)).toBe(0);
    expect(store.deadLetters.dropped()).toBe(0);
  });

  test('dead letters: past the cap (5) the oldest are dropped and counted', async () => {
    const { store, clock } = subject();
    const t = clock.now();
    // Added out of order: the cap drops the oldest by failedAt, not the first added.
    for (const i of [3, 0, 4, 1, 2]) {
      await store.deadLetters.add(letter({ id: `c${i}`, failedAt: t + i }));
    }
    expect(store.deadLetters.dropped()).toBe(0);
    await store.deadLetters.add(letter({ id: 'c2', failedAt: t + 2, payload: 'replaced' }));
    expect(store.deadLetters.dropped()).toBe(0);
    await store.deadLetters.add(letter({ id: 'c5', failedAt: t + 5 }));
    await store.deadLetters.add(letter({ id: 'c6', failedAt: t + 6 }));
    expect(await store.deadLetters.count()).toBe(5);
    expect(store.deadLetters.dropped()).toBe(2);
    expect((await store.deadLetters.list()).letters.map((l) => l.id)).toEqual([
      'c2',
      'c3',
      'c4',
      'c5',
      'c6',
    ]);
    expect(await store.deadLetters.get('c0')).toBeUndefined();
  });
}
