export { SqliteStore } from './sqlite-store.js';
export type {
  SqliteDatabase,
  SqliteDatabaseOptions,
  SqliteFileOptions,
  SqliteStoreOptions,
} from './sqlite-store-options.js';
