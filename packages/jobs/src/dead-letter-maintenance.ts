import type { Clock, TimerHandle, Timers } from '@vigil/core';
import type { DeadLetter, DeadLetterStore } from '@vigil/storage';

/** @internal What the maintenance needs from the runner. */
export interface MaintenanceSettings {
  readonly store: DeadLetterStore;
  readonly clock: Clock;
  /** Unref'd: maintenance never keeps the process alive. */
  readonly timers: Timers;
  readonly types: readonly string[];
  /** Letters older than this are purged; undefined: kept. */
  readonly retention: number | undefined;
  readonly autoReplay:
    | { readonly every: number; readonly maxReplays: number; readonly factor: number }
    | undefined;
  readonly replay: (letter: DeadLetter) => Promise<unknown>;
  readonly report: (error: unknown, operation: string) => void;
}

const HOUR = 3_600_000;

/**
 * @internal The dead-letter queue's background work, on one timer: the retention sweep (hourly)
 * and the opt-in automatic replay (every `every`; a letter replayed `n` times waits
 * `every × factor^n` after its last failure, and stays once replayed `maxReplays` times).
 */
export class DeadLetterMaintenance {
  readonly #settings: MaintenanceSettings;
  readonly #interval: number;
  #timer: TimerHandle | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(settings: MaintenanceSettings) {
    this.#settings = settings;
    this.#interval = Math.min(HOUR, settings.autoReplay?.every ?? HOUR);
    if (settings.retention !== undefined || settings.autoReplay !== undefined) this.#arm();
  }

  /** One pass now (the timer's work); answers when it is done. Errors go to `report`. */
  tick(): Promise<void> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#settings.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #arm(): void {
    if (this.#stopped || this.#timerOff) return;
    this.#timer = this.#settings.timers.setTimeout(() => {
      this.#timer = undefined;
      void this.tick().then(() => this.#arm());
    }, this.#interval);
  }

  async #pass(): Promise<void> {
    const { retention, autoReplay, report } = this.#settings;
    if (retention !== undefined) {
      try {
        await this.purgeExpired();
      } catch (error) {
        report(error, 'dead-letter retention sweep');
      }
    }
    if (autoReplay === undefined) return;
    try {
      await this.replayDue();
    } catch (error) {
      report(error, 'dead-letter auto replay');
    }
  }

  /** Purges the letters past the retention; answers how many (0 without a retention). */
  async purgeExpired(): Promise<number> {
    const { store, clock, retention } = this.#settings;
    return retention === undefined ? 0 : store.purge(clock.now() - retention);
  }

  /**
   * Replays the letters the auto-replay policy says are due; without one configured, the
   * in-house default: an hour after the failure, doubling per replay, at most 5 replays.
   */
  async replayDue(): Promise<void> {
    const policy = this.#settings.autoReplay ?? { every: HOUR, maxReplays: 5, factor: 2 };
    for (const type of this.#settings.types) await this.#replayDue(type, policy);
  }

  /** Stops the hourly timer: the scheduler's maintenance schedules do the work instead. */
  stopTimer(): void {
    if (this.#timer !== undefined) this.#settings.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerOff = true;
  }

  #timerOff = false;

  async #replayDue(
    type: string,
    policy: { readonly every: number; readonly maxReplays: number; readonly factor: number },
  ): Promise<void> {
    const { store, clock, replay } = this.#settings;
    const due: DeadLetter[] = [];
    const now = clock.now();
    let cursor: string | undefined;
    do {
      const page = await store.list(
        cursor === undefined ? { queue: type, limit: 500 } : { queue: type, limit: 500, cursor },
      );
      for (const letter of page.letters) {
        const replays = replaysOf(letter);
        if (replays >= policy.maxReplays) continue;
        if (letter.failedAt + policy.every * policy.factor ** replays <= now) due.push(letter);
      }
      cursor = page.cursor;
    } while (cursor !== undefined && !this.#stopped);
    for (const letter of due) {
      if (this.#stopped) return;
      await replay(letter);
    }
  }
}

/** How many times a letter's job came back from the dead-letter queue. */
export function replaysOf(letter: DeadLetter): number {
  const replays = letter.metadata?.['replays'];
  return Number.isSafeInteger(replays) && (replays as number) > 0 ? (replays as number) : 0;
}
