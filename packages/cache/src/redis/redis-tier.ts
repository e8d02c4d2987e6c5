import { randomUUID } from 'node:crypto';
import { type BackgroundErrorReporter, backgroundErrorReporter } from '@vigil/core';
import { CircuitBreaker } from '@vigil/resilience';
import { Redis } from 'ioredis';
import type { CacheTier, CacheTierFactory, TierInvalidation } from '../cache-tier.js';
import {
  type RedisTierConfig,
  type RedisTierOptions,
  redisTierConfig,
} from './redis-tier-options.js';

interface Message {
  /** The instance that made the change: it ignores its own. */
  readonly o: string;
  readonly k?: readonly string[];
  readonly t?: readonly string[];
  readonly c?: true;
}

/**
 * A Redis tier for `Cache`'s `l2` option: values shared by every instance (serialised, JSON by
 * default), tags kept as Redis sets, and a pub/sub channel per cache telling the other instances
 * which keys changed (never the values). Redis failures never reach the host: a failed read is a
 * miss, and after failures a breaker leaves Redis alone for `resetTimeout`.
 *
 * ```ts
 * const users = new Cache({ name: 'users', max: 10_000, ttl: '5m', l2: redisTier({ url }) });
 * ```
 */
export function redisTier(options: RedisTierOptions): CacheTierFactory {
  const config = redisTierConfig(options);
  return { open: (cacheName) => new RedisTier(config, cacheName) };
}

class RedisTier implements CacheTier {
  readonly #config: RedisTierConfig;
  readonly #client: Redis;
  readonly #subscriber: Redis;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #origin = randomUUID();
  readonly #breaker: CircuitBreaker;
  readonly #report: BackgroundErrorReporter;
  #listener: ((change: TierInvalidation) => void) | undefined;
  #firstConnection: Promise<void> | undefined;

  constructor(config: RedisTierConfig, cacheName: string) {
    this.#config = config;
    this.#report = backgroundErrorReporter(`redisTier '${cacheName}'`, config.onError);
    const connection = {
      // Fail fast while Redis is away: the cache answers from memory and the loader meanwhile.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: config.timeout,
      retryStrategy: (times: number) => Math.min(times * 200, 2_000),
    };
    this.#ownsClient = config.client === undefined;
    this.#client = config.client ?? new Redis(config.url as string, connection);
    // The subscriber queues its SUBSCRIBE until it is connected, and ioredis subscribes again on
    // every reconnection.
    this.#subscriber =
      config.client?.duplicate() ??
      new Redis(config.url as string, { ...connection, enableOfflineQueue: true });
    for (const connectionClient of [this.#client, this.#subscriber]) {
      connectionClient.on('error', (error: unknown) => this.#report(error, 'connection'));
    }
    this.#prefix = `${config.keyPrefix}${cacheName}:`;
    this.#channel = `${this.#prefix}invalidate`;
    this.#breaker = new CircuitBreaker({
      name: `cache:${cacheName}:redis`,
      policy: { kind: 'consecutive', threshold: 3 },
      resetTimeout: config.resetTimeout,
      ...(config.registry === undefined ? {} : { registry: config.registry }),
      onError: (error) => this.#report(error, 'breaker'),
    });
    this.#subscriber.on('message', (channel: string, text: string) => {
      if (channel !== this.#channel) return;
      this.#received(text);
    });
    void this.#subscriber
      .subscribe(this.#channel)
      .catch((error: unknown) => this.#report(error, 'subscribe'));
  }

  #received(text: string): void {
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch (error) {
      this.#report(error, 'invalidation message');
      return;
    }
    if (message.o === this.#origin || this.#listener === undefined) return;
    this.#listener({ keys: message.k, tags: message.t, clear: message.c === true });
  }

  /** Runs Redis commands through the breaker; a failure is reported and answered `undefined`. */
  async #run<T>(operation: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      await this.#connected();
      return (await this.#breaker.execute(fn)) as T;
    } catch (error) {
      this.#report(error, operation);
      return undefined;
    }
  }

  /**
   * While the first connection is being made, waits for it (up to the command timeout): the
   * offline queue is off, so a command sent before it would fail. Once up, a lost connection
   * fails commands at once, and the cache carries on without Redis.
   */
  async #connected(): Promise<void> {
    const client = this.#client;
    if (client.status === 'ready' || !['wait', 'connecting', 'connect'].includes(client.status))
      return;
    // One wait shared by every command sent meanwhile (one listener, not one per command).
    this.#firstConnection ??= new Promise<void>((resolve) => {
      if (client.status === 'wait') void client.connect().catch(() => undefined);
      const done = () => {
        clearTimeout(timer);
        client.off('ready', done);
        this.#firstConnection = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.#config.timeout);
      client.once('ready', done);
    });
    await this.#firstConnection;
  }

  #key(key: string): string {
    return `${this.#prefix}v:${key}`;
  }

  #tag(tag: string): string {
    return `${this.#prefix}t:${tag}`;
  }

  async #publish(message: Omit<Message, 'o'>): Promise<void> {
    await this.#run('publish', () =>
      this.#client.publish(this.#channel, JSON.stringify({ o: this.#origin, ...message })),
    );
  }

  async get(key: string): Promise<{ value: unknown; ttl: number | undefined } | undefined> {
    const result = await this.#run('get', async () => {
      // A pipeline, not MULTI: the two reads need no atomicity, and MULTI costs a round of its own.
      return await this.#client.pipeline().get(this.#key(key)).pttl(this.#key(key)).exec();
    });
    if (result === undefined || result === null) return undefined;
    const [[, text], [, ttl]] = result as [[unknown, string | null], [unknown, number]];
    if (text === null) return undefined;
    try {
      return { value: this.#config.serializer.deserialize(text), ttl: ttl > 0 ? ttl : undefined };
    } catch (error) {
      this.#report(error, 'deserialize');
      return undefined;
    }
  }

  async set(
    key: string,
    value: unknown,
    ttl: number,
    tags: readonly string[] | undefined,
  ): Promise<void> {
    let text: string;
    try {
      text = this.#config.serializer.serialize(value);
    } catch (error) {
      this.#report(error, 'serialize');
      return;
    }
    await this.#run('set', async () => {
      const multi = this.#client.multi();
      if (ttl > 0) multi.set(this.#key(key), text, 'PX', ttl);
      else multi.set(this.#key(key), text);
      for (const tag of tags ?? []) {
        multi.sadd(this.#tag(tag), key);
        // A tag's set lives as long as its longest-lived key.
        if (ttl > 0) multi.pexpire(this.#tag(tag), ttl, 'GT');
        else multi.persist(this.#tag(tag));
      }
      await multi.exec();
    });
    await this.#publish({ k: [key] });
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.#run('delete', () => this.#client.del(...keys.map((key) => this.#key(key))));
    await this.#publish({ k: keys });
  }

  async invalidateTags(tags: readonly string[]): Promise<void> {
    const keys = new Set<string>();
    for (const tag of tags) {
      const members = await this.#run('tag members', () => this.#client.smembers(this.#tag(tag)));
      for (const key of members ?? []) keys.add(key);
    }
    await this.#run('invalidate tags', async () => {
      const multi = this.#client.multi();
      if (keys.size > 0) multi.del(...[...keys].map((key) => this.#key(key)));
      multi.del(...tags.map((tag) => this.#tag(tag)));
      await multi.exec();
    });
    await this.#publish({ k: [...keys], t: tags });
  }

  async clear(): Promise<void> {
    await this.#run('clear', async () => {
      let cursor = '0';
      do {
        const [next, found] = await this.#client.scan(
          cursor,
          'MATCH',
          `${this.#prefix}*`,
          'COUNT',
          1_000,
        );
        if (found.length > 0) await this.#client.del(...found);
        cursor = next;
      } while (cursor !== '0');
    });
    await this.#publish({ c: true });
  }

  subscribe(listener: (change: TierInvalidation) => void): void {
    this.#listener = listener;
  }

  async close(): Promise<void> {
    await this.#breaker.close();
    this.#subscriber.disconnect();
    if (this.#ownsClient) this.#client.disconnect();
  }
}
