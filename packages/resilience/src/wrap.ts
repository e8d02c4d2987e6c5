import { describeValue, invalidOption } from '@vigil/core/options';
import { NEVER_ABORTED } from './abort.js';
import {
  type FALLBACK_TYPE,
  type FallbackOf,
  invoke,
  isRunnable,
  type Link,
  type Policy,
  RUN,
  type Runnable,
  type Task,
} from './policy.js';

/** Policies composed by `wrap()`: itself a policy. */
export class WrappedPolicy<F = never> implements Policy<F>, Runnable {
  /** The composed policies, outermost first (nested wraps flattened). */
  readonly policies: readonly Policy<unknown>[];
  declare readonly [FALLBACK_TYPE]?: F;
  readonly #head: Link;

  /** @internal Use `wrap(...)`. */
  constructor(policies: readonly Policy<unknown>[]) {
    this.policies = policies;
    let head: Link | null = null;
    for (let i = policies.length - 1; i >= 0; i--) {
      const policy = policies[i] as Policy<unknown>;
      head = { policy: isRunnable(policy) ? policy : new ForeignPolicy(policy), next: head };
    }
    this.#head = head as Link;
  }

  /** Runs `fn` through every policy, outermost first, threading the signal. */
  execute<T>(fn: Task<T>, signal: AbortSignal = NEVER_ABORTED): Promise<T | F> {
    return this.#head.policy[RUN](fn, signal, this.#head.next) as Promise<T | F>;
  }

  /** @internal */
  [RUN](fn: Task<unknown>, signal: AbortSignal, next: Link | null): Promise<unknown> {
    // Reached only when a wrap is chained by hand; `wrap()` flattens nested wraps.
    return this.#head.policy[RUN]((inner) => invoke(fn, inner, next), signal, this.#head.next);
  }
}

/** Runs a policy from elsewhere (only `execute`) as a link: costs a closure per call. */
class ForeignPolicy implements Runnable {
  readonly #policy: Policy<unknown>;

  constructor(policy: Policy<unknown>) {
    this.#policy = policy;
  }

  [RUN](fn: Task<unknown>, signal: AbortSignal, next: Link | null): Promise<unknown> {
    return this.#policy.execute((inner) => invoke(fn, inner, next), signal);
  }
}

/**
 * Composes policies, outermost first: `wrap(retry, breaker, timeout).execute(fn)` retries calls
 * that go through the breaker, each attempt under the timeout. The chain is built once here, so
 * a call allocates no closures between the policies of this package.
 */
export function wrap<const P extends readonly Policy<unknown>[]>(
  ...policies: P
): WrappedPolicy<FallbackOf<P[number]>> {
  const flat: Policy<unknown>[] = [];
  for (const [index, policy] of policies.entries()) {
    if (policy instanceof WrappedPolicy) flat.push(...policy.policies);
    else if (typeof (policy as Partial<Policy<unknown>> | null)?.execute === 'function')
      flat.push(policy);
    else {
      throw invalidOption(
        'wrap',
        `argument ${index} should be a policy (an object with execute(fn, signal)), got ${describeValue(policy)}`,
      );
    }
  }
  if (flat.length === 0) {
    throw invalidOption('wrap', 'give at least one policy, such as wrap(retry, breaker, timeout)');
  }
  return new WrappedPolicy(flat);
}
