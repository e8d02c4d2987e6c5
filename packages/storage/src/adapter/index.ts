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
export { matchesLabels } from './label-matcher.js';
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
export { startSweeper } from './sweeper.js';
