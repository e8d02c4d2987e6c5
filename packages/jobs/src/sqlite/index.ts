// `@vigil/jobs/sqlite`: the durable SQLite backend. It needs better-sqlite3, loaded only when a
// runner opens the backend, so importing `@vigil/jobs` never does.
export { sqliteBackend } from './sqlite-backend.js';
export type {
  SqliteBackendCommonOptions,
  SqliteBackendDatabaseOptions,
  SqliteBackendFileOptions,
  SqliteBackendOptions,
  SqliteDatabase,
  SqliteSynchronous,
} from './sqlite-backend-options.js';
