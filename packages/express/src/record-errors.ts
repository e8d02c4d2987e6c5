import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorType } from '@vigil/http';

const kError = Symbol.for('vigil.express.error');

/** @internal A request that `vigilErrors()` saw an error for. */
interface ErroredRequest extends IncomingMessage {
  [kError]?: unknown;
}

/** An Express error-handling middleware, typed without `@types/express`. */
export type ErrorMiddleware = (
  error: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

function recordError(
  error: unknown,
  req: IncomingMessage,
  _res: ServerResponse,
  next: (error?: unknown) => void,
): void {
  (req as ErroredRequest)[kError] = error;
  next(error);
}

/**
 * An Express error-handling middleware that notes the error a route threw (or passed to
 * `next(error)`) and passes it on, so that a request answered 5xx is recorded with
 * `error_type` = the error's class (`TypeError`) instead of the status code. Add it after your
 * routes and before your own error handlers: `app.use(vigilErrors())`.
 */
export function vigilErrors(): ErrorMiddleware {
  return recordError;
}

/**
 * @internal The `error_type` of a request whose response closed: the class of the error
 * `vigilErrors()` saw when the status is 5xx or no response was completed (by `@vigil/http`'s
 * `errorType()`, the rule every adapter shares), `'aborted'` for a
 * response that never completed without one, else undefined (`HttpMetrics` labels a 5xx
 * without an error type with its status code).
 */
export function errorTypeOf(
  req: IncomingMessage,
  finished: boolean,
  statusCode: number,
): string | undefined {
  const error = (req as ErroredRequest)[kError];
  if (finished && statusCode < 500) return undefined;
  if (error === undefined) return finished ? undefined : 'aborted';
  return errorType(error);
}
