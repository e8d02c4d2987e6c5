/** The function a policy runs: it receives the `AbortSignal` it should honour. */
export type Task<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/** @internal Type-only key that carries a policy's fallback type; absent at run time. */
export declare const FALLBACK_TYPE: unique symbol;

/**
 * What every resilience policy implements. `F` is what a fallback may return instead of the
 * task's result (`never` for policies without a fallback).
 */
export interface Policy<F = never> {
  /**
   * Runs `fn` under the policy. `fn` gets an `AbortSignal` that aborts when `signal` does (and,
   * under a timeout, when time runs out).
   */
  execute<T>(fn: Task<T>, signal?: AbortSignal): Promise<T | F>;
  /** Type-only: the fallback type, for `wrap`; never set at run time. */
  readonly [FALLBACK_TYPE]?: F;
}

/** The fallback type of a policy: what `wrap` adds to the result type. */
export type FallbackOf<P> = P extends { readonly [FALLBACK_TYPE]?: infer F }
  ? unknown extends F
    ? never
    : F
  : never;

/**
 * @internal The key of the method by which `wrap` chains policies without allocating a closure
 * per call: each policy runs the next link of a chain built once, at `wrap` time.
 */
export const RUN: unique symbol = Symbol('vigil.resilience.run');

/** @internal One position in a wrapped chain of policies. */
export interface Link {
  readonly policy: Runnable;
  readonly next: Link | null;
}

/** @internal A policy that can run as a link of a chain. */
export interface Runnable {
  [RUN](fn: Task<unknown>, signal: AbortSignal, next: Link | null): Promise<unknown>;
}

/** @internal Runs the rest of a chain: the next policy, or `fn` itself at the end. */
export function invoke(
  fn: Task<unknown>,
  signal: AbortSignal,
  next: Link | null,
): unknown | PromiseLike<unknown> {
  return next === null ? fn(signal) : next.policy[RUN](fn, signal, next.next);
}

/** @internal Whether `policy` is one of this package's own policies. */
export function isRunnable(policy: unknown): policy is Runnable {
  return typeof policy === 'object' && policy !== null && RUN in policy;
}
