/**
 * Runs an async task for many callers without running it once per caller, yet never answering a
 * caller with a run that started before it asked: callers in one synchronous turn share one run;
 * callers arriving while a run is under way share the next one, started when it ends. (A run
 * started earlier may have read its data before the caller's last changes.)
 */
export class CoalescedTask<T> {
  readonly #task: () => Promise<T>;
  #current: Promise<T> | undefined;
  #queued: Promise<T> | undefined;
  /** Whether the current run started in this synchronous turn. */
  #joinable = false;

  constructor(task: () => Promise<T>) {
    this.#task = task;
  }

  run(): Promise<T> {
    if (this.#current === undefined) return this.#start();
    if (this.#joinable) return this.#current;
    const start = () => {
      this.#queued = undefined;
      return this.#start();
    };
    this.#queued ??= this.#current.then(start, start);
    return this.#queued;
  }

  #start(): Promise<T> {
    const run: Promise<T> = this.#task().finally(() => {
      if (this.#current === run) this.#current = undefined;
    });
    this.#current = run;
    this.#joinable = true;
    queueMicrotask(() => {
      if (this.#current === run) this.#joinable = false;
    });
    return run;
  }
}
