export type {
  DeadLetter,
  DeadLetterError,
  DeadLetterFilter,
  DeadLetterPage,
  DeadLetterStore,
  NewDeadLetter,
} from './dead-letter-store.js';
export { STORAGE_ERROR_CODES, StoreError, type StoreErrorCode } from './errors.js';
export type { ClaimResult, IdempotencyStore } from './idempotency-store.js';
export type { Lease, LeaseStore } from './lease-store.js';
export {
  MemoryStore,
  type MemoryStoreOptions,
  type MemoryStoreStats,
} from './memory/memory-store.js';
export type { RecordPage, RecordStore, RecordWriteOptions, StoredRecord } from './record-store.js';
export type { Store, StoreOptions } from './store.js';
export {
  type Aggregation,
  type LabelMatcher,
  type RangeQuery,
  ROLLUP_RESOLUTIONS,
  type SeriesPoint,
  type SeriesResult,
  type TimeSeriesStore,
} from './time-series-store.js';
