export { type ErrorMiddleware, vigilErrors } from './record-errors.js';
export { type VigilMiddleware, vigil } from './vigil.js';
export type { RouteOf, VigilOptions } from './vigil-options.js';
