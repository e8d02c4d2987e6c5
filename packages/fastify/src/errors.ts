import { VigilError } from '@vigil/core';

/** Every stable error code thrown by `@vigil/fastify`. Each one is explained in `docs/errors.md`. */
export type VigilFastifyErrorCode = 'FASTIFY_ALREADY_REGISTERED';

/**
 * A mistake in how the plugin is set up: registered twice on one Fastify instance (or again in a
 * child of an instance that has it). Thrown when the plugin loads, so `register()` / `ready()`
 * reject; never from the request path. Bad options throw core's `ConfigurationError`
 * (`INVALID_OPTION`) instead, as everywhere in Vigil.
 */
export class VigilFastifyError extends VigilError {
  override readonly code: VigilFastifyErrorCode;

  constructor(code: VigilFastifyErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'VigilFastifyError';
    this.code = code;
  }
}
