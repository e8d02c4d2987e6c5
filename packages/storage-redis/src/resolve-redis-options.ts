import {
  describeValue,
  hasMethods,
  invalidOption,
  optionalDuration,
  optionalString,
  required,
} from '@vigil/core/options';
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

const NAME = 'RedisStore';
const OWN_OPTIONS = ['url', 'client', 'keyPrefix', 'timeout'];

/** Checks the options once, at construction: `ConfigurationError` naming the bad one. */
export function resolveRedisOptions(options: RedisStoreOptions): ResolvedRedisOptions {
  required(NAME, 'options', options, "pass { url: 'redis://127.0.0.1:6379' } or { client }");
  const store = resolveStoreOptions(
    NAME,
    options as unknown as StoreOptions & Record<string, unknown>,
    OWN_OPTIONS,
  );
  const url = optionalString(NAME, 'url', options.url);
  const client: unknown = options.client;
  if ((url === undefined) === (client === undefined)) {
    throw invalidOption(
      NAME,
      'give exactly one of url (a redis:// URL) and client (an ioredis client)',
    );
  }
  if (url !== undefined) checkUrl(url);
  if (client !== undefined) checkClient(client);
  const keyPrefix = optionalString(NAME, 'keyPrefix', options.keyPrefix, { allowEmpty: true });
  if (keyPrefix !== undefined && keyPrefix.length > 256) {
    throw invalidOption(
      NAME,
      `keyPrefix should be a string of at most 256 characters, got ${keyPrefix.length} characters`,
    );
  }
  const timeoutMs = optionalDuration(NAME, 'timeout', options.timeout, { positive: true }) ?? 5_000;
  return {
    store,
    url,
    client: client as Redis | undefined,
    keyPrefix: keyPrefix ?? 'vigil:',
    timeoutMs,
  };
}

function checkUrl(url: string): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw invalidOption(
      NAME,
      `url should be a redis:// or rediss:// URL such as 'redis://127.0.0.1:6379', got ${describeValue(url)}`,
    );
  }
}

function checkClient(client: unknown): void {
  if (!hasMethods(client, ['defineCommand']) || typeof (client as Redis).status !== 'string') {
    throw invalidOption(
      NAME,
      `client should be an ioredis client (new Redis(…)); for a URL pass url instead, got ${describeValue(client)}`,
    );
  }
  const prefix = (client as Redis).options?.keyPrefix;
  if (prefix) {
    throw invalidOption(
      NAME,
      `client has ioredis's own keyPrefix '${prefix}', which scripts cannot see; drop it and pass keyPrefix to RedisStore`,
    );
  }
}
