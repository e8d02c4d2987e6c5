import type { RequestTiming } from '@vigil/http';
import type { TimingScope } from '@vigil/timers';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { VigilFastifyError } from './errors.js';

/** @internal The request's `RequestTiming`, or null when it is not measured. */
export const kTiming: unique symbol = Symbol.for('vigil.fastify.timing');
/** @internal The `error_type` of what the route threw, or null. */
export const kErrorType: unique symbol = Symbol.for('vigil.fastify.errorType');
/** @internal The request's timing scope (with `serverTiming`), or null. */
export const kTimingScope: unique symbol = Symbol.for('vigil.fastify.timingScope');

/**
 * @internal A Fastify request with the plugin's decorations: `null` by default, `undefined` on the
 * requests of a child context that decorated its own requests before the plugin was registered
 * (Fastify copied the parent's decorations at that moment).
 */
export interface VigilRequest extends FastifyRequest {
  [kTiming]: RequestTiming | null | undefined;
  [kErrorType]: string | null | undefined;
  [kTimingScope]: TimingScope | null | undefined;
}

/**
 * @internal Declares the plugin's per-request state as request decorations with a `null` default,
 * as Fastify advises (every request object then has the same shape). `Symbol.for` keys, so that a
 * second copy of the package sees the first one's.
 *
 * @throws VigilFastifyError `FASTIFY_ALREADY_REGISTERED` when the instance already has them.
 */
export function decorateRequests(fastify: FastifyInstance): void {
  if (fastify.hasRequestDecorator(kTiming)) {
    throw new VigilFastifyError(
      'FASTIFY_ALREADY_REGISTERED',
      '@vigil/fastify is already registered on this Fastify instance (or on a parent of it); register it once, at the root, so that every request is counted once',
    );
  }
  fastify.decorateRequest(kTiming, null);
  fastify.decorateRequest(kErrorType, null);
  fastify.decorateRequest(kTimingScope, null);
}
