import { Registry } from '@vigil/core';
import { type ManualClock, manualClock } from '@vigil/core/testing';
import { rejection } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RemoteWriter, type RemoteWriterOptions } from '../src/index.js';
import {
  type FakeReceiver,
  recordingTimers,
  startFakeReceiver,
} from './support/remote-write-receiver.js';

const TIMEOUT = 3_600_000;
let receiver: FakeReceiver;
let clock: ManualClock;
let timers: ReturnType<typeof recordingTimers>;
let registry: Registry;
const writers: RemoteWriter[] = [];

beforeEach(async () => {
  receiver = await startFakeReceiver();
  clock = manualClock();
  timers = recordingTimers(clock);
  registry = new Registry({ clock });
  registry.gauge({ name: 'g', help: 'g', labelNames: ['i'] }).set({ i: '0' }, 1);
});

afterEach(async () => {
  for (const writer of writers.splice(0)) await writer.close().catch(() => undefined);
  await receiver.close();
});

function writer(options: Partial<RemoteWriterOptions> = {}): RemoteWriter {
  const created = new RemoteWriter({
    url: receiver.url,
    registry,
    clock,
    timers,
    timeout: TIMEOUT,
    autoStart: false,
    ownMetrics: false,
    onError: () => undefined,
    ...options,
  });
  writers.push(created);
  return created;
}

/** Waits until the writer scheduled a wait of `ms` as its latest timer (a backoff). */
async function untilWaiting(ms: number, count = 1): Promise<void> {
  await vi.waitFor(() => expect(timers.delays.filter((d) => d === ms)).toHaveLength(count));
}

function counter(name: string): number | undefined {
  const metric = registry.snapshot().metrics.find((m) => m.name === name);
  return metric?.type === 'counter' ? metric.series[0]?.value : undefined;
}

describe('RemoteWriter retries', () => {
  it('sends a request again after a 5xx, after minBackoff and not before', async () => {
    receiver.answer({ status: 503 });
    const written = writer({ retries: { minBackoff: '250ms' } }).write();
    await untilWaiting(250);
    clock.advance(249);
    expect(clock.pendingTimers()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    clock.advance(1);
    await expect(written).resolves.toMatchObject({ samples: 1, requests: 1 });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]?.body).toEqual(receiver.received[0]?.body);
  });

  it('doubles the backoff up to maxBackoff, and counts the retries', async () => {
    receiver.answer({ status: 500 }, { status: 502 }, { status: 504 });
    const written = writer({
      ownMetrics: true,
      retries: { maxAttempts: 4, minBackoff: 100, maxBackoff: 300 },
    }).write();
    for (const [wait, count] of [
      [100, 1],
      [200, 1],
      [300, 1],
    ] as const) {
      await untilWaiting(wait, count);
      clock.advance(wait);
    }
    await written;
    expect(receiver.received).toHaveLength(4);
    expect(counter('vigil_remote_write_retries_total')).toBe(3);
    expect(counter('vigil_remote_write_failures_total')).toBe(0);
  });

  it('waits for Retry-After (seconds or a date) instead of the backoff on a 429 or 5xx', async () => {
    const date = new Date(clock.now() + 3_000).toUTCString();
    receiver.answer(
      { status: 429, headers: { 'Retry-After': '2' } },
      { status: 503, headers: { 'Retry-After': date } },
    );
    const written = writer({ retries: { maxAttempts: 3 } }).write();
    await untilWaiting(2_000);
    clock.advance(2_000);
    // The date is 3 s after the start, so 1 s after the first retry.
    await untilWaiting(1_000);
    clock.advance(1_000);
    await written;
    expect(receiver.received).toHaveLength(3);
    expect(timers.delays.filter((d) => d !== TIMEOUT)).toEqual([2_000, 1_000]);
  });

  it('never sends again after a 4xx other than 429', async () => {
    for (const status of [400, 401, 403, 404, 413]) {
      receiver.answer({ status, headers: { 'Retry-After': '1' }, body: 'rejected' });
      const error = await rejection(writer().write());
      expect(error).toMatchObject({ code: 'REMOTE_WRITE_FAILED', status, retryable: false });
    }
    expect(receiver.received).toHaveLength(5);
    expect(timers.delays.filter((d) => d !== TIMEOUT)).toEqual([]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('gives up after maxAttempts with the last status', async () => {
    receiver.answer({ status: 503 }, { status: 500, body: 'still down' });
    const written = writer({ ownMetrics: true, retries: { maxAttempts: 2 } }).write();
    await untilWaiting(100);
    clock.advance(100);
    const error = await rejection(written);
    expect(error).toMatchObject({ status: 500, retryable: true });
    expect((error as Error).message).toMatch(
      /failed after 2 attempts: answered 500 Internal Server Error: still down$/,
    );
    expect(counter('vigil_remote_write_failures_total')).toBe(1);
  });

  it('retries a request that got no answer: refused, or past the timeout', async () => {
    const refused = receiver.url;
    await receiver.close();
    const written = writer({ url: refused, retries: { maxAttempts: 2 } }).write();
    await untilWaiting(100);
    clock.advance(100);
    const error = await rejection(written);
    expect(error).toMatchObject({ status: undefined, retryable: true });
    expect((error as Error).message).toMatch(
      /after 2 attempts: no answer: fetch failed: .*ECONNREFUSED/,
    );

    receiver = await startFakeReceiver();
    receiver.answer({ stall: true });
    const timedOut = writer({ retries: { maxAttempts: 1 } }).write();
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1));
    clock.advance(TIMEOUT);
    const late = await rejection(timedOut);
    expect(late).toMatchObject({ retryable: true });
    expect((late as Error).message).toMatch(/no answer within 3600000 ms$/);
  });

  it('does not wait for a Retry-After beyond maxBackoff: pauses periodic writes until then', async () => {
    receiver.answer({ status: 503, headers: { 'Retry-After': '10' } });
    const reported: unknown[] = [];
    const remote = writer({
      interval: 1_000,
      autoStart: true,
      retries: { maxBackoff: '5s' },
      onError: (error) => reported.push(error),
    });
    clock.advance(1_000);
    await vi.waitFor(() => expect(reported).toHaveLength(1));
    expect((reported[0] as Error).message).toMatch(/asked to wait 10 s .*periodic writes pause/);
    clock.advance(9_999);
    // Writes run in order: a tick's write would be sent before this one.
    await remote.write();
    expect(receiver.received).toHaveLength(2);
    clock.advance(1);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(3));
  });
});

describe('RemoteWriter batches that fail', () => {
  beforeEach(() => {
    const gauge = registry.gauge({ name: 'more', help: 'm', labelNames: ['i'] });
    for (let i = 0; i < 5; i++) gauge.set({ i: String(i) }, i);
  });

  it('still sends the other requests after one rejected with a 4xx', async () => {
    receiver.answer({ status: 400, body: 'bad series' });
    const error = await rejection(writer({ maxSamplesPerSend: 2 }).write());
    expect((error as Error).message).toMatch(/request 1 of 3 to .* failed: answered 400/);
    expect(receiver.received.map((r) => r.request?.timeseries.length)).toEqual([2, 2, 2]);
  });

  it('sends no further request after a retryable failure, counting their samples failed', async () => {
    receiver.answer({ status: 204 }, { status: 503 });
    const remote = writer({ ownMetrics: true, maxSamplesPerSend: 3, retries: { maxAttempts: 1 } });
    const error = await rejection(remote.write());
    expect(error).toMatchObject({ status: 503, retryable: true });
    // 6 gauges and the writer's 4 counters: requests of 3, 3 (failed), 3 and 1 (not sent).
    expect(receiver.received).toHaveLength(2);
    expect(counter('vigil_remote_write_samples_total')).toBe(3);
    expect(counter('vigil_remote_write_failed_samples_total')).toBe(7);
    expect(counter('vigil_remote_write_failures_total')).toBe(1);
  });
});
