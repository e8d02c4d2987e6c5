import { StoreError } from '@vigil/storage';
import type { Redis } from 'ioredis';
import { defineScripts } from './redis-scripts.js';
import { toStoreError } from './to-store-error.js';

// ioredis statuses in which a connection attempt is under way.
const CONNECTING = new Set(['wait', 'connecting', 'connect']);

/**
 * The store's one way to Redis: every call runs through `run`, which fails fast with
 * `STORE_UNAVAILABLE` while the client is disconnected, bounds the whole call by `timeoutMs`
 * and turns errors into `StoreError`s. ioredis reconnects in the background by itself, so the
 * store recovers when the server is back.
 */
export class RedisConnection {
  readonly client: Redis;
  readonly #owned: boolean;
  readonly #timeoutMs: number;
  #closed = false;
  #connecting: Promise<void> | undefined;

  constructor(client: Redis, owned: boolean, timeoutMs: number) {
    this.client = client;
    this.#owned = owned;
    this.#timeoutMs = timeoutMs;
    defineScripts(client);
  }

  /** Runs `operation` with the client; `what` names the call in error messages. */
  async run<T>(what: string, operation: (client: Redis) => Promise<T>): Promise<T> {
    if (this.#closed) {
      throw new StoreError(
        'STORE_UNAVAILABLE',
        `${what}: this RedisStore is closed; create a new one`,
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.#timeoutMs} ms (the timeout option)`)),
        this.#timeoutMs,
      );
    });
    try {
      return await Promise.race([this.#ready().then(() => operation(this.client)), deadline]);
    } catch (error) {
      throw toStoreError(what, error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the client if the store created it (waiting, bounded, until it has); one passed in stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#owned) return;
    const client = this.client;
    if (client.status === 'end') return;
    const ended = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        client.disconnect();
        resolve();
      }, this.#timeoutMs);
      client.once('end', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (client.status === 'ready') client.quit().catch(() => client.disconnect());
    else client.disconnect();
    await ended;
  }

  // Ready: go. Connecting (first connection, or a reconnection under way): wait for the outcome,
  // within the call's deadline (calls share one wait). Otherwise (waiting to retry, closed): fail.
  #ready(): Promise<void> {
    const client = this.client;
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'wait') client.connect().catch(() => undefined);
    if (!CONNECTING.has(client.status)) {
      return Promise.reject(new Error(`the connection is ${client.status}`));
    }
    this.#connecting ??= new Promise<void>((resolve, reject) => {
      const settle = (error: Error | undefined) => {
        client.off('ready', onReady);
        client.off('close', onClose);
        client.off('end', onClose);
        this.#connecting = undefined;
        if (error === undefined) resolve();
        else reject(error);
      };
      const onReady = () => settle(undefined);
      const onClose = () => settle(new Error('the connection closed before it was ready'));
      client.on('ready', onReady);
      client.on('close', onClose);
      client.on('end', onClose);
    });
    return this.#connecting;
  }
}
