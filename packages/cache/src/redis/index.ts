export { redisTier } from './redis-tier.js';
export type { RedisTierOptions, Serializer } from './redis-tier-options.js';
