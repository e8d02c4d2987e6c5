export {
  FASTIFY_ERROR_CODES,
  VigilFastifyError,
  type VigilFastifyErrorCode,
} from './errors.js';
export type { VigilFastifyOptions } from './vigil-fastify-options.js';
export { vigil } from './vigil-plugin.js';
