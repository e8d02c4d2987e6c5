import { ConfigurationError, VigilError } from '@vigil/core';
import { manualClock } from '@vigil/storage/testing';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { RedisStore, type RedisStoreOptions } from '../src/index.js';
import { dropPrefix, uniquePrefix } from './redis-test-data.js';

const url = inject('redisUrl');
const open: Array<{ close(): Promise<unknown> }> = [];
const prefixes: string[] = [];

function store(options: Partial<RedisStoreOptions> = {}): RedisStore {
  const keyPrefix = options.keyPrefix ?? uniquePrefix();
  prefixes.push(keyPrefix);
  const created = new RedisStore({ url, ...options, keyPrefix } as RedisStoreOptions);
  open.push(created);
  return created;
}

function rawClient(): Redis {
  const client = new Redis(url);
  open.push({ close: () => client.quit() });
  return client;
}

afterEach(async () => {
  const cleaner = new Redis(url);
  for (const prefix of prefixes.splice(0)) await dropPrefix(cleaner, prefix);
  await cleaner.quit();
  for (const item of open.splice(0).reverse()) await item.close();
});

function configurationError(create: () => unknown): ConfigurationError {
  try {
    create();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('RedisStore options', () => {
  it.each([
    ['neither url nor client', {}],
    ['both url and client', { url: 'redis://127.0.0.1:1', client: {} }],
    ['a URL of another scheme', { url: 'http://127.0.0.1:6379' }],
    ['a URL that does not parse', { url: 'not a url' }],
    ['a client that is not an ioredis client', { client: { get: () => 1 } }],
    ['a keyPrefix that is not a string', { url, keyPrefix: 7 }],
    ['an unknown option', { url, prefix: 'x:' }],
    ['a bad maxDeadLetters', { url, maxDeadLetters: 0 }],
  ])('rejects %s with INVALID_OPTION', (_, options) => {
    const error = configurationError(() => new RedisStore(options as RedisStoreOptions));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toMatch(/^RedisStore: /);
  });

  it('takes an explicitly undefined optional option as its default (and so does its type)', async () => {
    const maybe = (): string | undefined => undefined;
    const store = new RedisStore({
      url,
      client: undefined,
      keyPrefix: `undefined-options-${process.pid}:`,
      timeout: maybe(),
      retention: undefined,
      sweepInterval: undefined,
      maxDeadLetters: undefined,
      clock: undefined,
      onError: undefined,
    });
    try {
      expect(await store.records.set('ns', 'k', 1)).toMatchObject({ version: 1 });
    } finally {
      await store.close();
    }
    expect(configurationError(() => new RedisStore(undefined as never)).code).toBe(
      'INVALID_OPTION',
    );
  });

  it.each([['0s'], ['soon'], [-1]])('rejects timeout %j with INVALID_DURATION', (timeout) => {
    expect(configurationError(() => new RedisStore({ url, timeout })).code).toBe(
      'INVALID_DURATION',
    );
  });

  it("rejects a client with ioredis's own keyPrefix, which the scripts cannot see", () => {
    const client = new Redis(url, { keyPrefix: 'app:', lazyConnect: true });
    const error = configurationError(() => new RedisStore({ client }));
    expect(error.message).toMatch(/keyPrefix/);
    client.disconnect();
  });
});

describe('RedisStore', () => {
  it('uses a client passed in and leaves it open on close()', async () => {
    const client = rawClient();
    const keyPrefix = uniquePrefix();
    prefixes.push(keyPrefix);
    const shared = new RedisStore({ client, keyPrefix });
    expect(shared.client).toBe(client);
    await shared.records.set('ns', 'k', 'v');
    await shared.close();
    expect(await client.ping()).toBe('PONG');
    expect(await client.exists(`${keyPrefix}rec:2:ns:k`)).toBe(1);
  });

  it('closes the client it created; later calls fail with STORE_UNAVAILABLE', async () => {
    const own = store();
    await own.records.set('ns', 'k', 1);
    await own.close();
    await own.close();
    expect(own.client.status).toBe('end');
    const error = await own.records.get('ns', 'k').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VigilError);
    expect((error as VigilError).code).toBe('STORE_UNAVAILABLE');
  });

  it('keeps every key under keyPrefix: stores with other prefixes see nothing', async () => {
    const a = store();
    const b = store();
    await a.records.set('ns', 'k', 'in a');
    await a.leases.acquire('leader', 'x', '1m');
    await a.idempotency.claim('job', 1, '1h');
    await a.deadLetters.add({ queue: 'q', payload: 1, error: { message: 'e' }, attempts: 1 });
    await a.timeSeries.append([{ metric: 'm', labels: {}, timestamp: 1_000, value: 1 }]);
    expect(await b.records.get('ns', 'k')).toBeUndefined();
    expect(await b.leases.acquire('leader', 'y', '1m')).toMatchObject({ owner: 'y' });
    expect(await b.idempotency.claim('job', 2, '1h')).toEqual({ claimed: true });
    expect(await b.deadLetters.count()).toBe(0);
    expect(await b.timeSeries.query({ metric: 'm', from: 0, to: 2_000, step: 1_000 })).toEqual([]);
    const all = await rawClient().keys('*');
    const [prefixA, prefixB] = prefixes.slice(-2) as [string, string];
    const mine = all.filter((key) => key.startsWith(prefixA) || key.startsWith(prefixB));
    expect(mine.length).toBeGreaterThan(10);
  });

  it("defaults keyPrefix to 'vigil:' and honours the database in the URL", async () => {
    const db = `${url}/7`;
    const raw = new Redis(db);
    open.push({ close: () => raw.quit() });
    const inDb7 = new RedisStore({ url: db });
    open.push(inDb7);
    await inDb7.records.set('ns', 'k', 1);
    expect(await raw.exists('vigil:rec:2:ns:k')).toBe(1);
    await dropPrefix(raw, 'vigil:');
  });

  it('sweep() removes points past retention and records past their TTL, on the store clock', async () => {
    const clock = manualClock();
    const swept = store({ clock, retention: '1h' });
    const raw = rawClient();
    const now = clock.now();
    await swept.timeSeries.append([
      { metric: 'm', labels: {}, timestamp: now - 2 * 3_600_000, value: 1 },
      { metric: 'm', labels: {}, timestamp: now - 60_000, value: 2 },
    ]);
    await swept.records.set('ns', 'short', 1, { ttl: '1m' });
    await swept.records.set('ns', 'kept', 2);
    clock.advance(60_000);
    expect(await swept.sweep()).toBe(1);
    const prefix = prefixes.at(-1) as string;
    expect(await raw.exists(`${prefix}rec:2:ns:short`)).toBe(0);
    expect(await raw.zrange(`${prefix}rec-index:ns`, 0, -1)).toEqual(['kept']);
    const [series] = await swept.timeSeries.query({
      metric: 'm',
      from: 0,
      to: now + 1,
      step: 1_000,
    });
    expect(series?.points).toEqual([[now - 60_000, 2]]);
  });

  it('sweep() keeps every point with retention: false', async () => {
    const clock = manualClock();
    const kept = store({ clock, retention: false });
    await kept.timeSeries.append([{ metric: 'm', labels: {}, timestamp: 0, value: 1 }]);
    expect(await kept.sweep()).toBe(0);
    expect(await kept.timeSeries.query({ metric: 'm', from: 0, to: 1, step: 1 })).toHaveLength(1);
  });
});
