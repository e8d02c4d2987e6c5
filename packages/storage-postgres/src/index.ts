export { PostgresStore } from './postgres-store.js';
export type { PostgresConnection, PostgresStoreOptions } from './postgres-store-options.js';
