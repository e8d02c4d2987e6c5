// `@vigil/storage/testing`: the contract kit every adapter runs, and test helpers.
export { type ContractContext, expectStoreError } from './contract-context.js';
export {
  CONTRACT_STORE_OPTIONS,
  type ContractOptions,
  type ContractSubject,
  type Corrupter,
} from './contract-subject.js';
export { corruptMemoryStore } from './corrupt-memory-store.js';
export { describeStoreContract } from './describe-store-contract.js';
export { CONTRACT_EPOCH, type ManualClock, manualClock } from './manual-clock.js';
export { referenceSeries, samplePoints } from './series-reference.js';
