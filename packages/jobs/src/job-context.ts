/** What a handler gets besides the payload, for one attempt. */
export interface JobContext {
  /** The job's id: the same on every attempt, and the dead letter's id if it fails for good. */
  readonly jobId: string;
  /** The job's type. */
  readonly type: string;
  /**
   * The key the job was submitted with, if any. Guard side effects with it where a job may run
   * twice (a shared queue runs a job again when its worker died mid-run): for example
   * `await store.idempotency.claim(\`charge:\${context.idempotencyKey}\`, true, '1d')`.
   */
  readonly idempotencyKey: string | undefined;
  /** This attempt's number: 1 for the first run, 2 for the first retry. */
  readonly attempt: number;
  /**
   * Aborts when the attempt times out (reason: a `TimeoutError`) or the runner's `close()` gives
   * up waiting: pass it to `fetch`, your driver, or check it between steps.
   */
  readonly signal: AbortSignal;
  /** Reports progress, a fraction in [0, 1] and an optional message: the `progress` event. */
  progress(fraction: number, message?: string): void;
}
