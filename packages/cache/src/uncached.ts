const UNCACHED = Symbol('vigil.cache.uncached');

/** What a loader answers to give a value to its callers without caching it. */
export interface Uncached<V> {
  readonly [UNCACHED]: true;
  readonly value: V;
}

/**
 * Wraps a loader's answer so that the callers get `value` but the cache keeps nothing: a result
 * that should not be reused (a partial answer, an error page). `undefined` is never cached either.
 */
export function uncached<V>(value: V): Uncached<V> {
  return { [UNCACHED]: true, value };
}

/** @internal */
export function isUncached(value: unknown): value is Uncached<unknown> {
  return (
    typeof value === 'object' && value !== null && (value as Uncached<unknown>)[UNCACHED] === true
  );
}
