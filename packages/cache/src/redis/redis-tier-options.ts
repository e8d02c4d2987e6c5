import type { DurationInput, OnError, Registry } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  hasMethods,
  invalidOption,
  optionalDuration,
  optionalOnError,
  optionalRegistry,
  optionalString,
} from '@vigil/core/options';
import type { Redis } from 'ioredis';

/** How values become strings in Redis and back. Default: JSON. */
export interface Serializer {
  serialize(value: unknown): string;
  deserialize(text: string): unknown;
}

/** Options of `redisTier()`: a `url` or a `client`, as `@vigil/storage-redis` takes them. */
export interface RedisTierOptions {
  /** `redis://…`; the tier opens (and closes) its connections. */
  url?: string | undefined;
  /** An ioredis client of yours (left open); the tier duplicates it for pub/sub. */
  client?: Redis | undefined;
  /** Prefix of every key and of the channel. Default `'vigil-cache:'`. */
  keyPrefix?: string | undefined;
  serializer?: Serializer | undefined;
  /** How long one command may take before it counts as failed. Default `'250ms'`. */
  timeout?: DurationInput | undefined;
  /** How long Redis is left alone after it failed (the breaker's reset timeout). Default `'5s'`. */
  resetTimeout?: DurationInput | undefined;
  /** The breaker's metrics. */
  registry?: Registry | undefined;
  /** Told about Redis failures (a read that failed is a miss; the host never sees them). */
  onError?: OnError | undefined;
}

/** @internal */
export interface RedisTierConfig {
  readonly url: string | undefined;
  readonly client: Redis | undefined;
  readonly keyPrefix: string;
  readonly serializer: Serializer;
  readonly timeout: number;
  readonly resetTimeout: number;
  readonly registry: Registry | undefined;
  readonly onError: OnError | undefined;
}

const OWNER = 'redisTier';
const KEYS = [
  'url',
  'client',
  'keyPrefix',
  'serializer',
  'timeout',
  'resetTimeout',
  'registry',
  'onError',
] as const;
const JSON_SERIALIZER: Serializer = {
  serialize: (value) => JSON.stringify(value),
  deserialize: (text) => JSON.parse(text) as unknown,
};

/** @internal Checks the options once. */
export function redisTierConfig(options: RedisTierOptions): RedisTierConfig {
  const given = checkOptionsObject(OWNER, options, KEYS, { required: true });
  const url = optionalString(OWNER, 'url', given['url']);
  const client = given['client'];
  if ((url === undefined) === (client === undefined)) {
    throw invalidOption(OWNER, 'give either url (redis://…) or client (an ioredis client)');
  }
  if (url !== undefined && !/^rediss?:\/\//.test(url)) {
    throw invalidOption(OWNER, 'url should start with redis:// or rediss://');
  }
  if (client !== undefined && !hasMethods(client, ['get', 'set', 'duplicate', 'publish'])) {
    throw invalidOption(OWNER, `client should be an ioredis client, got ${describeValue(client)}`);
  }
  const serializer = given['serializer'];
  if (serializer !== undefined && !hasMethods(serializer, ['serialize', 'deserialize'])) {
    throw invalidOption(OWNER, 'serializer should have serialize(value) and deserialize(text)');
  }
  return {
    url,
    client: client as Redis | undefined,
    keyPrefix:
      optionalString(OWNER, 'keyPrefix', given['keyPrefix'], { allowEmpty: true }) ??
      'vigil-cache:',
    serializer: (serializer as Serializer | undefined) ?? JSON_SERIALIZER,
    timeout: optionalDuration(OWNER, 'timeout', given['timeout'], { positive: true }) ?? 250,
    resetTimeout:
      optionalDuration(OWNER, 'resetTimeout', given['resetTimeout'], { positive: true }) ?? 5_000,
    registry: optionalRegistry<Registry>(OWNER, 'registry', given['registry']),
    onError: optionalOnError(OWNER, 'onError', given['onError']),
  };
}
