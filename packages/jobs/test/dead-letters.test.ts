import { MemoryStore } from '@vigil/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadLetterNotFoundError, type JobRunner, UnknownJobTypeError } from '../src/index.js';
import { flush, runnerOnClock, tick } from './support/runner.js';

const open: JobRunner[] = [];
afterEach(async () => {
  for (const jobs of open.splice(0)) await jobs.close({ timeout: 0 });
});

const DAY = 86_400_000;

function failingRunner(options: Parameters<typeof runnerOnClock>[1] = {}) {
  const state = { fail: true, runs: 0 };
  const made = runnerOnClock(
    {
      send: {
        retry: false as const,
        breaker: false as const,
        handler: (n: number) => {
          state.runs++;
          if (state.fail) throw new Error(`failed ${n}`);
          return n;
        },
      },
      other: {
        retry: false as const,
        breaker: false as const,
        handler: () => Promise.reject(new Error('other')),
      },
    },
    options,
  );
  open.push(made.jobs as unknown as JobRunner);
  return { ...made, state };
}

async function deadLetter(jobs: JobRunner, type: string, payload: unknown): Promise<string> {
  const handle = await jobs.run(type, payload);
  await handle.result.catch(() => {});
  await flush();
  return handle.id;
}

describe('dead-letter queue', () => {
  it('keeps the payload, the last error and every attempt with its timing', async () => {
    const { jobs } = runnerOnClock({
      send: {
        retry: { maxAttempts: 3, initialDelay: 0, jitter: 'none' },
        handler: (_: { to: string }, context) => {
          throw Object.assign(new Error(`attempt ${context.attempt}`), { code: 'E_PARTNER' });
        },
      },
    });
    open.push(jobs as unknown as JobRunner);
    const id = await deadLetter(jobs as unknown as JobRunner, 'send', { to: 'ada' });
    const letter = await jobs.deadLetters.get(id);
    expect(letter).toMatchObject({
      id,
      queue: 'send',
      payload: { to: 'ada' },
      attempts: 3,
      error: { message: 'attempt 3', name: 'Error', code: 'E_PARTNER' },
      metadata: { reason: 'attempts', replays: 0 },
    });
    const history = letter?.metadata?.['history'] as {
      attempt: number;
      duration: number;
      error: { message: string };
    }[];
    expect(history.map((entry) => [entry.attempt, entry.error.message])).toEqual([
      [1, 'attempt 1'],
      [2, 'attempt 2'],
      [3, 'attempt 3'],
    ]);
    expect(history.every((entry) => entry.duration >= 0)).toBe(true);
  });

  it('lists by type and time, in pages', async () => {
    const { jobs, clock } = failingRunner();
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      ids.push(await deadLetter(jobs as unknown as JobRunner, 'send', n));
      await tick(clock, 1_000);
    }
    await deadLetter(jobs as unknown as JobRunner, 'other', 'x');
    const first = await jobs.deadLetters.list({ type: 'send' }, { limit: 2 });
    expect(first.letters.map((letter) => letter.id)).toEqual(ids.slice(0, 2));
    const second = await jobs.deadLetters.list(
      { type: 'send' },
      { limit: 2, cursor: first.cursor },
    );
    expect(second.letters.map((letter) => letter.id)).toEqual(ids.slice(2, 4));
    const letters = (
      await jobs.deadLetters.list({
        type: 'send',
        from: (await jobs.deadLetters.get(ids[3] as string))?.failedAt,
      })
    ).letters;
    expect(letters.map((letter) => letter.id)).toEqual(ids.slice(3));
    expect(await jobs.deadLetters.count()).toBe(6);
    expect(await jobs.deadLetters.count({ type: 'other' })).toBe(1);
  });

  it('replay runs the job again under its id and removes the letter; replayAll takes a filter', async () => {
    const { jobs, state } = failingRunner();
    const a = await deadLetter(jobs as unknown as JobRunner, 'send', 1);
    const b = await deadLetter(jobs as unknown as JobRunner, 'send', 2);
    await deadLetter(jobs as unknown as JobRunner, 'other', 3);
    state.fail = false;
    const completed: string[] = [];
    jobs.on('completed', ({ jobId }) => completed.push(jobId));
    await expect(jobs.deadLetters.replay(a)).resolves.toBe(a);
    await flush();
    expect(completed).toEqual([a]);
    expect(await jobs.deadLetters.replayAll({ type: 'send' })).toBe(1);
    await flush();
    expect(completed).toEqual([a, b]);
    expect(await jobs.deadLetters.count()).toBe(1);
    await expect(jobs.deadLetters.replay('nope')).rejects.toBeInstanceOf(DeadLetterNotFoundError);
  });

  it('a letter of a type the runner does not know is not replayed', async () => {
    const store = new MemoryStore();
    const { jobs } = runnerOnClock({ send: { handler: () => {} } }, { store });
    open.push(jobs as unknown as JobRunner);
    await store.deadLetters.add({
      id: 'x',
      queue: 'gone',
      payload: null,
      error: { message: 'e' },
      attempts: 1,
    });
    await expect(jobs.deadLetters.replay('x')).rejects.toBeInstanceOf(UnknownJobTypeError);
    await expect(jobs.deadLetters.replayAll()).resolves.toBe(0);
    expect(await jobs.deadLetters.get('x')).toBeDefined();
    await store.close();
  });

  it('purge takes a filter; without one it removes every letter', async () => {
    const { jobs, clock } = failingRunner();
    await deadLetter(jobs as unknown as JobRunner, 'send', 1);
    await tick(clock, 1_000);
    const cut = clock.now();
    await deadLetter(jobs as unknown as JobRunner, 'send', 2);
    await deadLetter(jobs as unknown as JobRunner, 'other', 3);
    expect(await jobs.deadLetters.purge({ to: cut })).toBe(1);
    expect(await jobs.deadLetters.purge({ type: 'other' })).toBe(1);
    expect(await jobs.deadLetters.purge()).toBe(1);
    expect(await jobs.deadLetters.count()).toBe(0);
  });

  it('is capped by the store: the oldest letters are dropped and counted', async () => {
    const { jobs } = failingRunner({ store: new MemoryStore({ maxDeadLetters: 2 }) });
    for (let n = 0; n < 4; n++) await deadLetter(jobs as unknown as JobRunner, 'send', n);
    expect(await jobs.deadLetters.count()).toBe(2);
    expect(jobs.deadLetters.dropped()).toBe(2);
  });

  it('purges letters past the retention (30 days by default), hourly', async () => {
    const { jobs, clock } = failingRunner();
    await deadLetter(jobs as unknown as JobRunner, 'send', 1);
    await tick(clock, 29 * DAY);
    await deadLetter(jobs as unknown as JobRunner, 'send', 2);
    for (let hour = 0; hour < 25; hour++) await tick(clock, 3_600_000);
    expect((await jobs.deadLetters.list()).letters.map((letter) => letter.payload)).toEqual([2]);
  });

  it('auto replay: every hour with exponential backoff, at most maxReplays per letter', async () => {
    const { jobs, clock, state } = failingRunner({
      deadLetters: { autoReplay: { every: '1h', maxReplays: 3 } },
    });
    const id = await deadLetter(jobs as unknown as JobRunner, 'send', 7);
    const runsAt: number[] = [];
    const start = clock.now();
    jobs.on('started', () => runsAt.push(Math.round((clock.now() - start) / 3_600_000)));
    for (let hour = 0; hour < 12; hour++) await tick(clock, 3_600_000);
    // Replays after 1 h, then 2 h and 4 h after each new failure: at hours 1, 3 and 7.
    expect(runsAt).toEqual([1, 3, 7]);
    expect(state.runs).toBe(4);
    expect((await jobs.deadLetters.get(id))?.metadata?.['replays']).toBe(3);
  });
});
