import { describeValue, invalidOption } from '@vigil/core/options';
import { Cron } from 'croner';

/**
 * @internal A cron pattern in a time zone, evaluated by croner (which never schedules anything
 * here: the scheduler keeps its own timer, on the runner's clock and timers).
 */
export class CronPattern {
  readonly #cron: Cron;

  constructor(owner: string, pattern: string, timezone: string | undefined) {
    if (timezone !== undefined) checkTimezone(owner, timezone);
    try {
      this.#cron = new Cron(pattern, timezone === undefined ? {} : { timezone });
    } catch (error) {
      throw invalidOption(
        owner,
        `cron ${describeValue(pattern)} is not a cron pattern croner reads (${(error as Error).message}); for example '0 2 * * *' is 02:00 every day`,
      );
    }
  }

  /** The first tick after `time` (ms since the epoch), or undefined when there is none. */
  nextAfter(time: number): number | undefined {
    return this.#cron.nextRun(new Date(time))?.getTime();
  }

  /** Up to `count` ticks after `time`. */
  nextTicks(time: number, count: number): number[] {
    const ticks: number[] = [];
    let from = time;
    for (let i = 0; i < count; i++) {
      const next = this.nextAfter(from);
      if (next === undefined) break;
      ticks.push(next);
      from = next;
    }
    return ticks;
  }
}

function checkTimezone(owner: string, timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw invalidOption(
      owner,
      `timezone ${describeValue(timezone)} is not an IANA time zone such as 'Europe/Paris' or 'UTC'`,
    );
  }
}
