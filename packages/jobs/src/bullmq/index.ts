// `@vigil/jobs/bullmq`: the shared queue on Redis. It needs bullmq and ioredis (optional peer
// dependencies), loaded only by this entry point, so importing `@vigil/jobs` never does.
export { bullmqBackend } from './bullmq-backend.js';
export type { BullmqBackendOptions } from './bullmq-backend-options.js';
