export type {
  AttemptRecord,
  BackendContext,
  JobBackend,
  RecoveredJob,
  StoredJob,
} from './backend.js';
export type { CloseReport } from './close-runner.js';
export {
  type DeadLetterFilter,
  type DeadLetterPageRequest,
  DeadLetterQueue,
} from './dead-letter-queue.js';
export {
  DeadLetterNotFoundError,
  InvalidPayloadError,
  JOBS_ERROR_CODES,
  JobBackendError,
  JobCancelledError,
  JobFailedError,
  JobStalledError,
  type JobsErrorCode,
  type PayloadIssue,
  RunnerClosedError,
  UnknownJobTypeError,
  UnrecoverableError,
} from './errors.js';
export type { JobContext } from './job-context.js';
export type {
  BackendEvent,
  BreakerEvent,
  CompletedEvent,
  DeadLetteredEvent,
  DeadLetterReason,
  FailedEvent,
  JobEvents,
  ProgressEvent,
  QueuedEvent,
  RecoveredEvent,
  RetryingEvent,
  StartedEvent,
} from './job-events.js';
export { JobHandle } from './job-handle.js';
export {
  type BackendStatus,
  type CloseOptions,
  JobRunner,
  type PayloadOf,
  type ResultOf,
} from './job-runner.js';
export type {
  AutoReplayOptions,
  DeadLetterOptions,
  JobRunnerOptions,
  JobStore,
  JobTypes,
  SchedulerOptions,
} from './job-runner-options.js';
export type {
  JobBreakerOptions,
  JobHandler,
  JobRateLimit,
  JobRetryOptions,
  JobTypeOptions,
} from './job-type-options.js';
export {
  type JobsCheckOutcome,
  type JobsHealthCheck,
  type JobsObservedValue,
  type JobsStatsSource,
  jobsHealthCheck,
} from './jobs-health-check.js';
export type {
  BacklogThresholds,
  FailureRateThresholds,
  JobsHealthCheckOptions,
} from './jobs-health-check-options.js';
export type {
  JobsRoute,
  JobsRouteMethod,
  JobsRouteProvider,
  JobsRouteReply,
  JobsRouteRequest,
} from './jobs-route-types.js';
export {
  type DeadLetterView,
  type JobsRoutesSource,
  type JobsSummary,
  type JobTypeSummary,
  jobsRoutes,
} from './jobs-routes.js';
export type { LastError } from './lane.js';
export { memoryBackend } from './memory-backend.js';
export type { PayloadSchema } from './payload-schema.js';
export { type JobPriority, MAX_PRIORITY, PRIORITY_VALUES } from './priority.js';
export type { QueueBackend } from './queue-backend.js';
export type { RunOptions } from './run-options.js';
export { SCHEDULER_LEASE } from './scheduler/job-scheduler-leader.js';
export type {
  MissedPolicy,
  OverlapPolicy,
  ScheduleOptions,
} from './scheduler/schedule-options.js';
export type { ScheduleRun, ScheduleStatus } from './scheduler/schedule-status.js';
export type { Scheduler } from './scheduler/scheduler.js';
export type { TypeStats } from './type-stats.js';
