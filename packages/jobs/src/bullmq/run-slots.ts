/**
 * @internal The runner-wide concurrency cap across a shared queue's types, in this process:
 * BullMQ limits each queue's worker, not several queues together. Waiters start in arrival order.
 */
export class RunSlots {
  readonly #limit: number;
  #used = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Resolves once a slot is taken; undefined when one was free at once. */
  acquire(): Promise<void> | undefined {
    if (this.#used < this.#limit) {
      this.#used++;
      return undefined;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Frees a slot: the longest waiter takes it. */
  release(): void {
    const next = this.#waiting.shift();
    if (next === undefined) this.#used--;
    else next();
  }
}
