import { ConfigurationError, parseDuration } from '@vigil/core';
import type { StoreOptions } from '@vigil/storage';
import { type ResolvedStoreOptions, resolveStoreOptions } from '@vigil/storage/adapter';
import type { Redis } from 'ioredis';
import type { RedisStoreOptions } from './redis-store-options.js';

/** `RedisStoreOptions` checked and defaulted. */
export interface ResolvedRedisOptions {
  readonly store: ResolvedStoreOptions;
  readonly url: string | undefined;
  readonly client: Redis | undefined;
  readonly keyPrefix: string;
  readonly timeoutMs: number;
}

const OWN_OPTIONS = ['url', 'client', 'keyPrefix', 'timeout'];

/** Checks the options once, at construction: `ConfigurationError` naming the bad one. */
export function resolveRedisOptions(options: RedisStoreOptions): ResolvedRedisOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalid('options should be an object with a url or a client');
  }
  const store = resolveStoreOptions(
    'RedisStore',
    options as unknown as StoreOptions & Record<string, unknown>,
    OWN_OPTIONS,
  );
  const { url, client } = options;
  if ((url === undefined) === (client === undefined)) {
    throw invalid('give exactly one of url (a redis:// URL) and client (an ioredis client)');
  }
  if (url !== undefined) checkUrl(url);
  if (client !== undefined) checkClient(client);
  const keyPrefix = options.keyPrefix ?? 'vigil:';
  if (typeof keyPrefix !== 'string' || keyPrefix.length > 256) {
    throw invalid(
      `keyPrefix should be a string of at most 256 characters, got ${String(keyPrefix)}`,
    );
  }
  const timeoutMs = parseDuration(options.timeout ?? '5s', 'RedisStore: timeout');
  if (timeoutMs <= 0) {
    throw new ConfigurationError(
      'INVALID_DURATION',
      'RedisStore: timeout should be positive, got 0',
    );
  }
  return { store, url, client, keyPrefix, timeoutMs };
}

function checkUrl(url: unknown): void {
  let protocol: string | undefined;
  try {
    protocol = typeof url === 'string' ? new URL(url).protocol : undefined;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw invalid(
      `url should be a redis:// or rediss:// URL such as 'redis://127.0.0.1:6379', got ${JSON.stringify(url)}`,
    );
  }
}

function checkClient(client: unknown): void {
  const candidate = client as Partial<Redis> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.defineCommand !== 'function' ||
    typeof candidate.status !== 'string'
  ) {
    throw invalid('client should be an ioredis client (new Redis(…)); for a URL pass url instead');
  }
  if (candidate.options?.keyPrefix) {
    throw invalid(
      `client has ioredis's own keyPrefix '${candidate.options.keyPrefix}', which scripts cannot see; drop it and pass keyPrefix to RedisStore`,
    );
  }
}

function invalid(message: string): ConfigurationError {
  return new ConfigurationError('INVALID_OPTION', `RedisStore: ${message}`);
}
