/**
 * @internal A storm limit per receiver: at most `max` notifications in a sliding `window`; past
 * that, notifications are held and go out as one digest when the window allows again.
 */
export class StormLimiter<T> {
  readonly #max: number;
  readonly #window: number;
  readonly #sent: number[] = [];
  readonly #held: T[] = [];

  constructor(max: number, window: number) {
    this.#max = max;
    this.#window = window;
  }

  /** Whether a notification may go now (and counts it); false: hold it. */
  admit(now: number, item: T): boolean {
    while (this.#sent.length > 0 && (this.#sent[0] as number) <= now - this.#window)
      this.#sent.shift();
    if (this.#held.length === 0 && this.#sent.length < this.#max) {
      this.#sent.push(now);
      return true;
    }
    this.#held.push(item);
    return false;
  }

  /** When the held notifications may go as a digest, ms; undefined when none is held. */
  releaseAt(): number | undefined {
    if (this.#held.length === 0) return undefined;
    return (this.#sent[0] ?? 0) + this.#window;
  }

  /** Takes the held notifications (the digest goes out now, and counts as one). */
  release(now: number): T[] {
    const held = this.#held.splice(0);
    if (held.length > 0) this.#sent.push(now);
    return held;
  }
}
