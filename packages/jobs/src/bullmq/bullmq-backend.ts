import { invalidOption } from '@vigil/core/options';
import type { QueueBackend, QueueEngineContext } from '../queue-backend.js';
import { type BullmqBackendOptions, bullmqBackendConfig } from './bullmq-backend-options.js';
import { BullmqEngine } from './bullmq-engine.js';

/**
 * A queue on Redis through BullMQ, shared by every instance of the service: each job type is a
 * BullMQ queue (`<prefix>:<type>`), each instance runs its share of the jobs through one BullMQ
 * `Worker` per type, and the runner's API, retries, timeouts, breakers, dead-letter queue, events
 * and metrics stay as they are. Redis must be configured as BullMQ requires for no loss:
 * `maxmemory-policy noeviction` and AOF persistence.
 *
 * ```ts
 * const jobs = new JobRunner({
 *   types,
 *   store: new RedisStore({ url }), // dead letters shared by the fleet
 *   backend: bullmqBackend({ url: 'redis://127.0.0.1:6379' }),
 * });
 * ```
 *
 * @throws ConfigurationError for bad options, at the call.
 */
export function bullmqBackend(options: BullmqBackendOptions): QueueBackend {
  const config = bullmqBackendConfig(options);
  let opened = false;
  return {
    name: 'bullmq',
    durable: true,
    shared: true,
    open(context: QueueEngineContext) {
      if (opened) {
        throw invalidOption(
          'bullmqBackend',
          'a bullmqBackend() serves one runner: make one per JobRunner',
        );
      }
      opened = true;
      return new BullmqEngine(config, context);
    },
  };
}
