// `@vigil/storage/adapter`: the pieces every adapter shares, public for custom adapters too.
export {
  checkDeadLetter,
  checkLimit,
  checkName,
  checkPoints,
  checkQuery,
  checkVersion,
  encodeJson,
  ttlMs,
} from './check-arguments.js';
export {
  checkShape,
  corrupt,
  deadLetterSchema,
  decodeJson,
  labelsSchema,
  leaseSchema,
} from './decode.js';
export { type Claim, checkClaim, checkUpdate } from './idempotency-arguments.js';
export { matchesLabels } from './label-matcher.js';
export {
  checkListArguments,
  checkRecordKey,
  checkRecordWrite,
  type RecordWrite,
} from './record-arguments.js';
export { type ResolvedStoreOptions, resolveStoreOptions } from './resolve-options.js';
export {
  bucketStart,
  cellOf,
  combineCells,
  downsample,
  type RollupCell,
  rollupFor,
  valueOfCell,
} from './rollup-cell.js';
export { seriesKey } from './series-key.js';
export { type StoredRecordFields, storedRecord } from './stored-record.js';
export { startSweeper } from './sweeper.js';
