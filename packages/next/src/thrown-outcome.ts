import { errorType } from '@vigil/http';

/** @internal How Next.js answers a route handler that threw `error`, as metric labels. */
export interface ThrownOutcome {
  /** The status Next.js answers with. */
  readonly status: number;
  /** `error_type`: undefined for Next's control-flow errors (`redirect()`, `notFound()`). */
  readonly errorType: string | undefined;
}

const ACCESS_STATUSES = new Set([401, 403, 404]);

/**
 * @internal The status and error type of a thrown `error`. `redirect()` and `permanentRedirect()`
 * (digest `NEXT_REDIRECT;…;307;`) and `notFound()`, `forbidden()`, `unauthorized()` (digest
 * `NEXT_HTTP_ERROR_FALLBACK;404`, or `NEXT_NOT_FOUND` before Next.js 15.1) are answered with their
 * status and are not failures; anything else is answered 500, its `error_type` by `@vigil/http`'s `errorType()`, the rule every
 * adapter shares.
 */
export function thrownOutcome(error: unknown): ThrownOutcome {
  const digest = (error as { digest?: unknown } | null | undefined)?.digest;
  if (typeof digest === 'string') {
    const parts = digest.split(';');
    if (parts[0] === 'NEXT_REDIRECT') {
      const status = Number(parts.at(-2));
      if (status >= 300 && status <= 399) return { status, errorType: undefined };
    } else if (parts[0] === 'NEXT_HTTP_ERROR_FALLBACK') {
      const status = Number(parts[1]);
      if (ACCESS_STATUSES.has(status)) return { status, errorType: undefined };
    } else if (parts[0] === 'NEXT_NOT_FOUND') {
      return { status: 404, errorType: undefined };
    }
  }
  return { status: 500, errorType: errorType(error) };
}
