/**
 * What `run` answers: the job's id, and its result when you want it. The `result` promise is
 * made on first access, so a job nobody waits on costs no promise, and a failure nobody waits
 * on is no unhandled rejection.
 */
export class JobHandle<R = unknown> {
  /** The job's id: its dead letter's id too, if it fails for good. */
  readonly id: string;
  /** The job's type. */
  readonly type: string;
  #state: 'pending' | 'fulfilled' | 'rejected' = 'pending';
  #value: unknown;
  #promise: Promise<R> | undefined;
  #resolve: ((value: R) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;

  /** @internal */
  constructor(id: string, type: string) {
    this.id = id;
    this.type = type;
  }

  /**
   * Settles with what the handler returned on the successful attempt, or rejects with the last
   * attempt's error once the job goes to the dead-letter queue (or `JobCancelledError` when the
   * runner closed first).
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

  /** `'pending'`, `'fulfilled'` or `'rejected'`. */
  get state(): 'pending' | 'fulfilled' | 'rejected' {
    return this.#state;
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
