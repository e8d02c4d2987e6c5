import type { Timers } from '@vigil/core';
import type { RequestFailure } from '../send-request.js';
import { type RetryPolicy, retryDecision } from './retry-policy.js';

/** How one request ended after its attempts. */
export type SendOutcome =
  | { readonly ok: true; readonly attempts: number }
  | {
      readonly ok: false;
      readonly attempts: number;
      readonly failure: RequestFailure;
      /** The server asked to wait this many ms (more than `maxBackoff`) before sending again. */
      readonly holdOff?: number | undefined;
    };

/**
 * @internal Sends one request with `post` until it succeeds, fails for good (a 4xx other than
 * 429), or `policy.maxAttempts` ran out, waiting on `timers` between attempts as `retryDecision`
 * says. `onRetry` is called before each attempt after the first.
 */
export async function sendWithRetries(
  post: () => Promise<RequestFailure | undefined>,
  policy: RetryPolicy,
  timers: Timers,
  onRetry: () => void,
): Promise<SendOutcome> {
  for (let attempt = 1; ; attempt++) {
    const failure = await post();
    if (failure === undefined) return { ok: true, attempts: attempt };
    const decision = retryDecision(policy, attempt, failure);
    if (!decision.retry) {
      return { ok: false, attempts: attempt, failure, holdOff: decision.holdOff };
    }
    await new Promise<void>((resolve) => timers.setTimeout(resolve, decision.delay));
    onRetry();
  }
}
