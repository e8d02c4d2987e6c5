import { VigilError } from '@vigil/core';

/** Every stable error code thrown by `@vigil/fastify`, each one explained in `docs/errors.md`. */
export const FASTIFY_ERROR_CODES = ['FASTIFY_ALREADY_REGISTERED'] as const;

/** A stable error code thrown by `@vigil/fastify`. */
export type VigilFastifyErrorCode = (typeof FASTIFY_ERROR_CODES)[number];

/**
 * A mistake in how the plugin is set up: registered twice on one Fastify instance (or again in a
 * child of an instance that has it). Thrown when the plugin loads, so `register()` / `ready()`
 * reject; never from the request path. Bad options throw core's `ConfigurationError`
 * (`INVALID_OPTION`) instead, as everywhere in Vigil. `instanceof` works across the ESM and CJS
 * builds and across installed copies (its brand is `vigil.fastify.VigilFastifyError`).
 */
export class VigilFastifyError extends VigilError {
  static override readonly brand = 'vigil.fastify.VigilFastifyError';
  declare readonly code: VigilFastifyErrorCode;

  constructor(code: VigilFastifyErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
