/**
 * What `run` answers, at once: the job's id, and promises made on first access: `result` (a job
 * nobody waits on costs no promise, and a failure nobody waits on is no unhandled rejection) and
 * `accepted` (once the job is stored: at once in memory, after the commit in a durable backend).
 */
export class JobHandle<R = unknown> {
  /**
   * The job's id: its dead letter's id too, if it fails for good. A job run with an
   * `idempotencyKey` has an id derived from the key, the same for every call with it.
   */
  readonly id: string;
  /** The job's type. */
  readonly type: string;
  #state: 'pending' | 'fulfilled' | 'rejected' = 'pending';
  #value: unknown;
  #promise: Promise<R> | undefined;
  #resolve: ((value: R) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  /** undefined: not yet; null: accepted; else the error that refused it. */
  #acceptance: unknown = undefined;
  #accepted: Promise<string> | undefined;
  #acknowledge: ((id: string) => void) | undefined;
  #refuse: ((error: unknown) => void) | undefined;

  /** @internal */
  constructor(id: string, type: string) {
    this.id = id;
    this.type = type;
  }

  /**
   * Settles with what the handler returned on the successful attempt, or rejects with the last
   * attempt's error once the job is in the dead-letter queue (`JobCancelledError` when the
   * runner closed first; the backend's error when it could not store the job).
   */
  get result(): Promise<R> {
    if (this.#promise === undefined) {
      if (this.#state === 'fulfilled') this.#promise = Promise.resolve(this.#value as R);
      else if (this.#state === 'rejected') this.#promise = Promise.reject(this.#value);
      else {
        this.#promise = new Promise<R>((resolve, reject) => {
          this.#resolve = resolve;
          this.#reject = reject;
        });
      }
    }
    return this.#promise;
  }

  /**
   * Resolves with the id once the job is accepted (for a durable backend: committed), or, with
   * an idempotency key, once the key's holder is known; rejects when it could not be stored.
   */
  get accepted(): Promise<string> {
    if (this.#accepted === undefined) {
      if (this.#acceptance === null) this.#accepted = Promise.resolve(this.id);
      else if (this.#acceptance !== undefined) this.#accepted = Promise.reject(this.#acceptance);
      else {
        this.#accepted = new Promise<string>((resolve, reject) => {
          this.#acknowledge = resolve;
          this.#refuse = reject;
        });
      }
    }
    return this.#accepted;
  }

  /** `'pending'`, `'fulfilled'` or `'rejected'`: the state of `result`. */
  get state(): 'pending' | 'fulfilled' | 'rejected' {
    return this.#state;
  }

  /** @internal The job is stored (`error` undefined), or could not be. */
  acknowledge(error?: unknown): void {
    if (this.#acceptance !== undefined) return;
    this.#acceptance = error === undefined ? null : error;
    if (error === undefined) this.#acknowledge?.(this.id);
    else this.#refuse?.(error);
  }

  /** @internal */
  settle(ok: boolean, value: unknown): void {
    if (this.#state !== 'pending') return;
    this.#state = ok ? 'fulfilled' : 'rejected';
    this.#value = value;
    if (ok) this.#resolve?.(value as R);
    else this.#reject?.(value);
  }
}
