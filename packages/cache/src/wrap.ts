import { checkOptionsObject, invalidOption } from '@vigil/core/options';
import { type MethodDecorator, methodDecorator } from '@vigil/timers';
import type { Cache } from './cache.js';
import type { LoadOptions } from './cache-options.js';
import { CacheKeyError } from './errors.js';

/** Options of `cache.wrap()` and `@cached()`: how results are kept, and their key. */
export interface WrapOptions<A extends unknown[] = unknown[]> extends LoadOptions {
  /** The key of a call; default: the name and the arguments as JSON. */
  key?: ((...args: A) => string) | undefined;
}

const KEYS = [
  'key',
  'ttl',
  'staleWhileRevalidate',
  'staleIfError',
  'softTimeout',
  'hardTimeout',
  'tags',
] as const;

/** @internal The key of one call. */
function keyOf<A extends unknown[]>(
  name: string,
  key: ((...args: A) => string) | undefined,
  args: A,
): string {
  if (key !== undefined) {
    const made = key(...args);
    if (typeof made !== 'string' || made === '') {
      throw new CacheKeyError(
        `the key function of ${name} should answer a non-empty string, got ${typeof made}`,
      );
    }
    return made;
  }
  try {
    return `${name}:${JSON.stringify(args)}`;
  } catch (error) {
    throw new CacheKeyError(
      `${name}: its arguments cannot be a key as JSON (${(error as Error).message}); give a key function`,
    );
  }
}

/** @internal `cache.wrap()`. */
export function wrap<V, A extends unknown[]>(
  cache: Cache<V>,
  name: string,
  fn: (...args: A) => V | Promise<V>,
  options?: WrapOptions<A>,
): (...args: A) => Promise<V | undefined> {
  const owner = `cache.wrap('${String(name)}')`;
  if (typeof name !== 'string' || name === '')
    throw invalidOption('cache.wrap()', 'name should be a non-empty string');
  if (typeof fn !== 'function') throw invalidOption(owner, 'fn should be a function');
  const given = checkOptionsObject(owner, options, KEYS);
  const key = given['key'] as WrapOptions<A>['key'];
  if (key !== undefined && typeof key !== 'function')
    throw invalidOption(owner, 'key should be a function (...args) => string');
  const { key: _key, ...load } = (options ?? {}) as WrapOptions<A>;
  const loadOptions = Object.keys(load).length === 0 ? undefined : load;
  const wrapped = (...args: A): Promise<V | undefined> => {
    let callKey: string;
    try {
      callKey = keyOf(name, key, args);
    } catch (error) {
      // Like every failure of a call that answers a promise: a rejection, not a throw.
      return Promise.reject(error);
    }
    return cache.getOrSet(callKey, () => fn(...args), loadOptions);
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
  return wrapped;
}

/**
 * Caches a method's results in `cache`, as `cache.wrap()`: a standard decorator or a legacy
 * `experimentalDecorators` one. The key: `options.key(...args)`, or the method's name and its
 * arguments as JSON (the instance is not part of it: key by what identifies the instance).
 *
 * ```ts
 * class Scores { @cached(scores, { ttl: '1m' }) async of(user: string) { … } }
 * ```
 */
export function cached<V>(cache: Cache<V>, options?: WrapOptions): MethodDecorator {
  return methodDecorator((method, name) => {
    if (typeof method !== 'function') throw invalidUse(typeof method);
    const original = method as (this: unknown, ...args: unknown[]) => V | Promise<V>;
    const given = checkOptionsObject(`@cached ${name}`, options, KEYS);
    const key = given['key'] as WrapOptions['key'];
    const { key: _key, ...load } = options ?? {};
    return function cachedMethod(this: unknown, ...args: unknown[]) {
      let callKey: string;
      try {
        callKey = keyOf(name, key, args);
      } catch (error) {
        return Promise.reject(error);
      }
      return cache.getOrSet(callKey, () => Reflect.apply(original, this, args), load);
    };
  }, invalidUse);
}

function invalidUse(what: string): Error {
  return invalidOption('@cached', `decorates methods, got ${what}`);
}
