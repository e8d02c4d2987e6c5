import { MemoryStore } from '@vigil/storage';
import { describe, expect, it } from 'vitest';
import { DeliveryError, Notifier, type NotifierOptions } from '../src/index.js';
import {
  closeAfterTest,
  firing,
  MINUTE,
  pass,
  recorder,
  SECOND,
  setup,
  summary,
} from './support/notifier-fixtures.js';

const ROUTE: NotifierOptions['route'] = {
  receiver: 'team',
  groupBy: ['...'],
  groupWait: '0s',
  groupInterval: '1m',
  repeatInterval: '1h',
};

describe('Notifier with a store', () => {
  it('keeps silences, acknowledgements and the notification log across a restart', async () => {
    const store = new MemoryStore();
    const first = recorder();
    const before = setup({
      route: ROUTE,
      receivers: { team: first.channel },
      store,
      cooldowns: false,
    });
    const { clock } = before;
    const down = firing({ alertname: 'Down' }, clock.now());
    const slow = firing({ alertname: 'Slow' }, clock.now());
    before.notifier.ingest([down, slow], clock.now());
    await before.notifier.settled();
    await pass(clock, before.notifier, SECOND);
    expect(first.sent.map(summary).sort()).toEqual([
      'team firing [Down:firing]',
      'team firing [Slow:firing]',
    ]);
    const silence = before.notifier.createSilence({
      matchers: ['alertname="Flaky"'],
      endsAt: clock.now() + 120 * MINUTE,
      createdBy: 'ana',
      comment: 'known',
    });
    const slowId = first.sent.find((n) => n.alerts[0]?.labels['alertname'] === 'Slow')?.alerts[0]
      ?.fingerprint as string;
    expect(before.notifier.acknowledge(slowId, 'ana', 'looking')).toBe(true);
    await before.notifier.settled();
    await before.notifier.close();

    // The process restarts: a new notifier on the same store, the same alerts still firing.
    const second = recorder();
    const after = new Notifier({
      route: ROUTE,
      receivers: { team: second.channel },
      store,
      cooldowns: false,
      clock,
      timers: clock,
    });
    closeAfterTest(after);
    const flaky = firing({ alertname: 'Flaky' }, clock.now());
    after.ingest([down, slow, flaky], clock.now());
    await after.settled();
    await pass(clock, after, SECOND);
    // Loaded lazily on the first report: nothing sent again, the silence holds.
    expect(second.sent.map(summary)).toEqual([]);
    expect(after.silences().map((s) => s.id)).toEqual([silence.id]);
    expect(after.acknowledgement(slowId)?.by).toBe('ana');
    // An hour on, Down repeats; Slow is acknowledged and does not.
    await pass(clock, after, 61 * MINUTE);
    expect(second.sent.map(summary)).toEqual(['team firing [Down:firing]']);
  });

  it('keeps a delivery waiting for a retry in the outbox, and dead letters in the store', async () => {
    const store = new MemoryStore();
    const flaky = recorder('webhook');
    const before = setup({
      route: ROUTE,
      receivers: { team: flaky.channel },
      store,
      retryDelay: '1m',
      maxAttempts: 2,
    });
    const { clock } = before;
    flaky.failures.push(new DeliveryError('503', { retryable: true, status: 503 }));
    before.notifier.ingest([firing({ alertname: 'Down' }, clock.now())], clock.now());
    await before.notifier.settled();
    await pass(clock, before.notifier, SECOND);
    expect(flaky.sent).toEqual([]);
    await before.notifier.close(); // dies with the retry pending

    const healthy = recorder('webhook');
    const after = new Notifier({
      route: ROUTE,
      receivers: { team: healthy.channel },
      store,
      clock,
      timers: clock,
    });
    closeAfterTest(after);
    after.ingest([firing({ alertname: 'Down' }, clock.now() - SECOND)], clock.now());
    await after.settled();
    await pass(clock, after, 2 * MINUTE);
    // Sent once, from the outbox (the log says it was already notified, so no second copy).
    expect(healthy.sent.map(summary)).toEqual(['team firing [Down:firing]']);
    expect(healthy.sent[0]?.id).toMatch(/^[0-9a-f]{32}$/);

    healthy.failures.push(new DeliveryError('400', { retryable: false, status: 400 }));
    after.testFire({ alertname: 'Probe' });
    await pass(clock, after, SECOND);
    const letters = await after.deadLetters();
    expect(letters.map((l) => `${l.channel} ${l.notification.kind}: ${l.error}`)).toEqual([
      'webhook test: 400',
    ]);
    expect(await store.deadLetters.count({ queue: 'vigil-notify' })).toBe(1);
    expect(await after.replay(letters[0]?.id as string)).toBe(true);
    await pass(clock, after, SECOND);
    expect(healthy.sent.at(-1)?.kind).toBe('test');
    expect(await after.deadLetters()).toEqual([]);
  });
});
