import { ConfigurationError, Registry, VigilError } from '@vigil/core';
import { TimeoutError } from '@vigil/resilience';
import { caught, parseExposition } from '@vigil/test-support';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type BullmqBackendOptions, bullmqBackend } from '../src/bullmq/index.js';
import { JobRunner, type JobRunnerOptions, type JobTypes } from '../src/index.js';
import { deleteKeys, uniquePrefix, until, wait } from './support/bullmq.js';

const url = inject('redisUrl');
const runners: JobRunner[] = [];
const prefixes: string[] = [];

afterEach(async () => {
  for (const runner of runners.splice(0)) await runner.close({ timeout: 0 });
  await deleteKeys(url, ...prefixes.splice(0));
});

function runner<T extends JobTypes>(
  options: JobRunnerOptions<T>,
  backend: Partial<BullmqBackendOptions> = {},
  prefix = uniquePrefix(),
): JobRunner<T> {
  prefixes.push(prefix);
  const made = new JobRunner({ ...options, backend: bullmqBackend({ url, prefix, ...backend }) });
  runners.push(made as unknown as JobRunner);
  return made;
}

async function gauge(registry: Registry, name: string, labels: Record<string, string>) {
  const { families } = parseExposition(await registry.metrics());
  return families
    .flatMap((family) => family.samples)
    .find(
      (sample) =>
        sample.name === name &&
        Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    )?.value;
}

describe('bullmqBackend options', () => {
  function refused(options: unknown): ConfigurationError {
    const error = caught(() => bullmqBackend(options as BullmqBackendOptions));
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }

  it('makes a shared, durable backend named bullmq without connecting', () => {
    expect(bullmqBackend({ url: 'redis://127.0.0.1:1' })).toMatchObject({
      name: 'bullmq',
      durable: true,
      shared: true,
    });
  });

  const lazy = (): Redis => new Redis(url, { lazyConnect: true });
  it.each([
    ['no options', () => undefined, /bullmqBackend/],
    ['neither url nor client', () => ({}), /give exactly one of url .* and client/],
    ['both url and client', () => ({ url, client: lazy() }), /give exactly one of url/],
    ['an http url', () => ({ url: 'http://127.0.0.1:6379' }), /url should start with redis:\/\//],
    ['a client that is no ioredis', () => ({ client: {} }), /client should be an ioredis client/],
    [
      'a client with retries per request',
      () => ({ client: lazy() }),
      /client should be made with maxRetriesPerRequest: null, as BullMQ's workers need/,
    ],
    ['a prefix with a colon', () => ({ url, prefix: 'a:b' }), /prefix should not contain ':'/],
    ['negative maxStalls', () => ({ url, maxStalls: -1 }), /maxStalls should be/],
    ['a bad duration', () => ({ url, lockDuration: 'soon' }), /lockDuration/],
    ['workers not a boolean', () => ({ url, workers: 'yes' }), /workers should be true or false/],
    ['a misspelt option', () => ({ url, stalledInteval: '1s' }), /unknown option 'stalledInteval'/],
  ])('refuses %s', (_, options, message) => {
    expect(refused(options()).message).toMatch(message);
  });

  it('serves one runner: a second runner on the same backend is refused', async () => {
    const backend = bullmqBackend({ url, prefix: uniquePrefix() });
    const types = { noop: { handler: () => undefined } };
    const first = new JobRunner({ types, backend });
    runners.push(first);
    expect(caught(() => new JobRunner({ types, backend }))).toBeInstanceOf(VigilError);
  });
});

describe('bullmqBackend semantics', () => {
  it('takes a client of yours and leaves it open', async () => {
    const client = new Redis(url, { maxRetriesPerRequest: null });
    try {
      const prefix = uniquePrefix();
      prefixes.push(prefix);
      const jobs = new JobRunner({
        types: { double: { handler: (n: number) => n * 2 } },
        backend: bullmqBackend({ client, prefix }),
      });
      await expect(jobs.run('double', 21).result).resolves.toBe(42);
      await jobs.close();
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });

  it('reports progress as an event and into BullMQ', async () => {
    const prefix = uniquePrefix();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const events: unknown[] = [];
    const jobs = runner(
      {
        types: {
          export: {
            handler: async (_: undefined, context) => {
              context.progress(0.5, 'half');
              await held;
            },
          },
        },
      },
      {},
      prefix,
    );
    jobs.on('progress', (event) => events.push(event));
    const id = await jobs.enqueue('export', undefined);
    const queue = new Queue('export', { connection: { url }, prefix });
    try {
      await until(() => events.length === 1, 'the progress event');
      expect(events[0]).toMatchObject({ jobId: id, fraction: 0.5, message: 'half' });
      let stored: unknown;
      for (let i = 0; i < 100 && stored === undefined; i++) {
        stored = (await queue.getJob(id))?.progress;
        if (typeof stored === 'number') stored = undefined;
        await wait(10);
      }
      expect(stored).toEqual({ fraction: 0.5, message: 'half' });
    } finally {
      release();
      await queue.close();
    }
  });

  it('times an attempt out through its signal, and dead-letters it after its attempts', async () => {
    const signals: AbortSignal[] = [];
    const jobs = runner({
      types: {
        hang: {
          timeout: 100,
          retry: { maxAttempts: 2, initialDelay: 10, jitter: 'none' },
          handler: (_: undefined, context) => {
            signals.push(context.signal);
            return new Promise<void>((resolve) =>
              context.signal.addEventListener('abort', () => resolve()),
            );
          },
        },
      },
    });
    const handle = jobs.run('hang', undefined);
    const error = await handle.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    const letter = await jobs.deadLetters.get(handle.id);
    expect(letter).toMatchObject({ attempts: 2, metadata: { reason: 'attempts' } });
    expect(jobs.stats()['hang']).toMatchObject({ failed: 2, deadLettered: 1 });
  });

  it("limits starts with BullMQ's limiter: at most max per interval", async () => {
    const starts: number[] = [];
    const jobs = runner({
      types: {
        call: { rateLimit: { max: 2, interval: 500 }, handler: () => void starts.push(Date.now()) },
      },
    });
    for (let n = 0; n < 6; n++) await jobs.enqueue('call', n);
    await until(() => starts.length === 6, 'six starts');
    // Six starts at two per 500 ms: the last one at least a second after the first.
    expect((starts[5] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(900);
  });

  it("takes none of a type's jobs while its breaker is open, without spending their attempts", async () => {
    let fail = true;
    const attempts: number[] = [];
    const jobs = runner({
      types: {
        pay: {
          concurrency: 1,
          retry: false,
          breaker: { failureThreshold: 2, resetTimeout: 600 },
          handler: (_: number, context) => {
            attempts.push(context.attempt);
            if (fail) throw new Error('card service down');
          },
        },
      },
    });
    const first = jobs.run('pay', 1);
    const second = jobs.run('pay', 2);
    await first.result.catch(() => undefined);
    await second.result.catch(() => undefined);
    await until(() => jobs.stats()['pay']?.breaker === 'open', 'the breaker to open');
    fail = false;
    const third = jobs.run('pay', 3);
    await wait(300);
    expect(attempts).toEqual([1, 1]);
    // Once half-open, the waiting job is the probe, as its first attempt.
    await expect(third.result).resolves.toBeUndefined();
    expect(attempts).toEqual([1, 1, 1]);
    expect(jobs.stats()['pay']?.breaker).toBe('closed');
  });

  it('reads the queue-wide counts once per scrape, cached for countsTtl', async () => {
    const prefix = uniquePrefix();
    const registry = new Registry();
    const producer = runner(
      { registry, types: { mail: { handler: () => undefined } } },
      { workers: false, countsTtl: '1h' },
      prefix,
    );
    for (let n = 0; n < 3; n++) await producer.enqueue('mail', n);
    await producer.enqueue('mail', 3, { delay: '1h' });
    expect(await gauge(registry, 'vigil_jobs_queue_jobs', { type: 'mail', state: 'waiting' })).toBe(
      3,
    );
    expect(await gauge(registry, 'vigil_jobs_queue_jobs', { type: 'mail', state: 'delayed' })).toBe(
      1,
    );
    expect(await gauge(registry, 'vigil_jobs_queued', { type: 'mail' })).toBe(4);
    await producer.enqueue('mail', 4);
    // Cached: the next scrape within countsTtl answers the same.
    expect(await gauge(registry, 'vigil_jobs_queued', { type: 'mail' })).toBe(4);
    const fresh = new Registry();
    runner(
      { registry: fresh, types: { mail: { handler: () => undefined } } },
      { workers: false, countsTtl: 0 },
      prefix,
    );
    expect(await gauge(fresh, 'vigil_jobs_queued', { type: 'mail' })).toBe(5);
    expect(producer.counts).toEqual({ queued: 4, running: 0 });
    // Without a registry, reading the counts or the stats reads them again when stale.
    const plain = runner(
      { types: { mail: { handler: () => undefined } } },
      { workers: false, countsTtl: 0 },
      prefix,
    );
    plain.stats();
    await until(() => plain.counts.queued === 5, 'the counts without a registry');
    expect(plain.stats()['mail']).toMatchObject({ queued: 5, delayed: 1 });
  });
});
