// `@vigil/jobs/testing`: the contract kit every job backend runs.
export type { JobBackendContractOptions, JobBackendSubject } from './contract-subject.js';
export { describeJobBackendContract } from './describe-job-backend-contract.js';
