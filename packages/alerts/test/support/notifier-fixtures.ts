import { MANUAL_CLOCK_EPOCH, type ManualClock, manualClock } from '@vigil/core/testing';
import { afterEach } from 'vitest';
import {
  type Alert,
  type Channel,
  type Notification,
  Notifier,
  type NotifierOptions,
} from '../../src/index.js';

export const SECOND = 1_000;
export const MINUTE = 60_000;

/** A channel that records what it is sent, and fails while told to (`failures`). */
export function recorder(type = 'record') {
  const sent: Notification[] = [];
  const failures: Error[] = [];
  const channel: Channel = {
    type,
    async send(notification) {
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      sent.push(notification);
    },
  };
  return { channel, sent, failures };
}

/** A firing alert as the engine reports one. */
export function firing(labels: Record<string, string>, firedAt = MANUAL_CLOCK_EPOCH): Alert {
  return {
    labels,
    annotations: { summary: `${labels['alertname']} fires` },
    state: 'firing',
    value: 1,
    activeAt: firedAt,
    firedAt,
    resolvedAt: undefined,
  };
}

export function resolved(alert: Alert, at: number): Alert {
  return { ...alert, state: 'inactive', resolvedAt: at };
}

const open: Notifier[] = [];
afterEach(async () => {
  for (const notifier of open.splice(0)) await notifier.close();
});

/** A notifier on a manual clock (closed after the test), and the errors it reported. */
export function setup(
  options: Partial<NotifierOptions> & Pick<NotifierOptions, 'route' | 'receivers'>,
) {
  const clock = manualClock();
  const errors: unknown[] = [];
  const notifier = new Notifier({
    clock,
    timers: clock,
    onError: (e) => errors.push(e),
    ...options,
  });
  open.push(notifier);
  return { clock, notifier, errors };
}

/** Closes `notifier` after the test. */
export function closeAfterTest(notifier: Notifier): void {
  open.push(notifier);
}

/**
 * Lets queued deliveries run: timers advanced by `ms`, a second at a time, the store's writes and
 * the sends settled.
 */
export async function pass(clock: ManualClock, notifier: Notifier, ms: number): Promise<void> {
  for (let step = 0; step < ms; step += SECOND) {
    clock.advance(Math.min(SECOND, ms - step));
    await notifier.settled();
    await notifier.idle();
  }
  await notifier.settled();
  await notifier.idle();
}

/** `receiver status [alertname@instance:status …]`. */
export function summary(n: Notification): string {
  const names = n.alerts.map(
    (a) =>
      `${a.labels['alertname']}${a.labels['instance'] ? `@${a.labels['instance']}` : ''}:${a.status}`,
  );
  return `${n.receiver} ${n.status} [${names.join(' ')}]`;
}
