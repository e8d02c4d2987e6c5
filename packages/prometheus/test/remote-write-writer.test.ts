import { type BackgroundErrorContext, Registry } from '@vigil/core';
import { type ManualClock, manualClock } from '@vigil/core/testing';
import { rejection } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PushError } from '../src/errors.js';
import {
  classicSeries,
  REMOTE_WRITE_USER_AGENT,
  RemoteWriter,
  type RemoteWriterOptions,
} from '../src/index.js';
import { type FakeReceiver, startFakeReceiver } from './support/remote-write-receiver.js';

let receiver: FakeReceiver;
let clock: ManualClock;
let registry: Registry;
const writers: RemoteWriter[] = [];

beforeEach(async () => {
  receiver = await startFakeReceiver();
  clock = manualClock();
  registry = new Registry({ clock });
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
    timers: clock,
    autoStart: false,
    ownMetrics: false,
    onError: () => undefined,
    ...options,
  });
  writers.push(created);
  return created;
}

describe('RemoteWriter.write', () => {
  it('posts the registry as a snappy protobuf WriteRequest with the remote-write headers', async () => {
    registry
      .counter({ name: 'jobs_total', help: 'Jobs', labelNames: ['queue'] })
      .inc({ queue: 'a' }, 7);
    registry.gauge({ name: 'temperature', help: 'T' }).set(21.5);
    clock.advance(1_234);
    const result = await writer().write();

    expect(result).toEqual({ samples: 2, requests: 1, timestamp: clock.now() });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/v1/write');
    expect(request?.headers).toMatchObject({
      'content-encoding': 'snappy',
      'content-type': 'application/x-protobuf',
      'x-prometheus-remote-write-version': '0.1.0',
      'user-agent': REMOTE_WRITE_USER_AGENT,
    });
    expect(request?.request).toEqual({
      timeseries: classicSeries(registry.snapshot(), { timestamp: clock.now() }),
    });
    expect(request?.request?.timeseries[0]).toEqual({
      labels: [
        { name: '__name__', value: 'jobs_total' },
        { name: 'queue', value: 'a' },
      ],
      samples: [{ value: 7, timestamp: clock.now() }],
    });
  });

  it('adds externalLabels, extra headers and the Authorization of basicAuth or bearerToken', async () => {
    registry.gauge({ name: 'up', help: 'Up' }).set(1);
    await writer({
      externalLabels: { cluster: 'eu-1' },
      headers: { 'X-Scope-OrgID': 'team-a', 'User-Agent': 'mine/1.0' },
      basicAuth: { username: 'writer', password: 'pa:ss' },
    }).write();
    await writer({ bearerToken: 'tok3n' }).write();
    const [basic, bearer] = receiver.received;
    expect(basic?.headers).toMatchObject({
      'x-scope-orgid': 'team-a',
      'user-agent': 'mine/1.0',
      authorization: `Basic ${Buffer.from('writer:pa:ss').toString('base64')}`,
    });
    expect(basic?.request?.timeseries[0]?.labels).toEqual([
      { name: '__name__', value: 'up' },
      { name: 'cluster', value: 'eu-1' },
    ]);
    expect(bearer?.headers.authorization).toBe('Bearer tok3n');
  });

  it('splits a write into requests of at most maxSamplesPerSend series, all with one timestamp', async () => {
    const gauge = registry.gauge({ name: 'g', help: 'g', labelNames: ['i'] });
    for (let i = 0; i < 5; i++) gauge.set({ i: String(i) }, i);
    const result = await writer({ maxSamplesPerSend: 2 }).write();

    expect(result).toMatchObject({ samples: 5, requests: 3 });
    const sizes = receiver.received.map((r) => r.request?.timeseries.length);
    expect(sizes).toEqual([2, 2, 1]);
    const all = receiver.received.flatMap((r) => r.request?.timeseries ?? []);
    expect(all.map((s) => s.samples[0]?.value)).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(all.map((s) => s.samples[0]?.timestamp))).toEqual(new Set([clock.now()]));
  });

  it('awaits async collect callbacks, so that the write carries their values', async () => {
    registry.gauge({
      name: 'pool_size',
      help: 'Pool',
      collect: async (gauge) => {
        await new Promise((resolve) => setImmediate(resolve));
        gauge.set(42);
      },
    });
    await writer().write();
    expect(receiver.received[0]?.request?.timeseries[0]?.samples[0]?.value).toBe(42);
  });

  it('writes any source that snapshots like a registry, such as a cluster aggregator', async () => {
    registry.counter({ name: 'merged_total', help: 'm' }).inc(9);
    const source = {
      metrics: () => registry.metrics(),
      snapshot: async () => registry.snapshot(),
    };
    await writer({ registry: source as unknown as Registry, ownMetrics: true }).write();
    expect(receiver.received[0]?.request?.timeseries).toEqual([
      {
        labels: [{ name: '__name__', value: 'merged_total' }],
        samples: [{ value: 9, timestamp: clock.now() }],
      },
    ]);
  });

  it('sends nothing for a registry without series', async () => {
    expect(await writer().write()).toEqual({ samples: 0, requests: 0, timestamp: clock.now() });
    expect(receiver.received).toHaveLength(0);
  });

  it('runs writes one after another with strictly increasing timestamps', async () => {
    registry.gauge({ name: 'g', help: 'g' }).set(1);
    const remote = writer();
    const [first, second] = await Promise.all([remote.write(), remote.write()]);
    expect(second.timestamp).toBe(first.timestamp + 1);
    const stamps = receiver.received.map((r) => r.request?.timeseries[0]?.samples[0]?.timestamp);
    expect(stamps).toEqual([first.timestamp, second.timestamp]);
  });

  it('rejects with PushError REMOTE_WRITE_FAILED when a request fails', async () => {
    registry.gauge({ name: 'g', help: 'g' }).set(1);
    receiver.answer({ status: 400, body: 'out of order sample' });
    const error = await rejection(writer().write());
    expect(error).toBeInstanceOf(PushError);
    expect(error).toMatchObject({ code: 'REMOTE_WRITE_FAILED', status: 400, retryable: false });
    expect((error as Error).message).toBe(
      `RemoteWriter ${receiver.server.host}: request to ${receiver.url} failed: answered 400 Bad Request: out of order sample`,
    );
  });
});

describe('RemoteWriter periodic writes', () => {
  it('writes every interval once started, the first one interval after start', async () => {
    registry.gauge({ name: 'g', help: 'g' }).set(1);
    writer({ interval: '10s', autoStart: true });
    clock.advance(9_999);
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(1);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1));
    clock.advance(10_000);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(2));
    const stamps = receiver.received.map((r) => r.request?.timeseries[0]?.samples[0]?.timestamp);
    expect(stamps).toEqual([clock.now() - 10_000, clock.now()]);
  });

  it('does not start before start() with autoStart: false, and start() is idempotent', () => {
    const remote = writer({ interval: '1s' });
    expect(clock.pendingTimers()).toBe(0);
    remote.start();
    remote.start();
    expect(clock.pendingTimers()).toBe(1);
  });

  it('reports a failed periodic write to onError, never to the host', async () => {
    registry.gauge({ name: 'g', help: 'g' }).set(1);
    const reported: [unknown, BackgroundErrorContext][] = [];
    receiver.answer({ status: 401, body: 'no' });
    writer({ interval: 1_000, autoStart: true, onError: (e, c) => reported.push([e, c]) });
    clock.advance(1_000);
    await vi.waitFor(() => expect(reported).toHaveLength(1));
    expect(reported[0]?.[0]).toMatchObject({ code: 'REMOTE_WRITE_FAILED', status: 401 });
    expect(reported[0]?.[1]).toEqual({
      source: `RemoteWriter ${receiver.server.host}`,
      operation: 'write',
    });
    clock.advance(1_000);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(2));
  });

  it('skips the ticks that fall due while the previous periodic write is still running', async () => {
    registry.gauge({ name: 'g', help: 'g' }).set(1);
    receiver.answer({ stall: true });
    const reported: unknown[] = [];
    const remote = writer({
      interval: 1_000,
      timeout: 5_000,
      retries: { maxAttempts: 1 },
      autoStart: true,
      onError: (error) => reported.push(error),
    });
    clock.advance(1_000);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1));
    // Five ticks fall due while the request hangs; it times out at 6 s.
    clock.advance(5_000);
    await vi.waitFor(() => expect(reported).toHaveLength(1));
    expect((reported[0] as Error).message).toMatch(/no answer within 5000 ms/);
    // Writes run in order: had a tick queued one, it would be sent before this one.
    await remote.write();
    expect(receiver.received).toHaveLength(2);
  });
});

describe('RemoteWriter.close', () => {
  it('stops the interval and sends a last write; every call returns the same promise', async () => {
    registry.gauge({ name: 'g', help: 'g' }).set(3);
    const remote = writer({ interval: '15s', autoStart: true });
    const closing = remote.close();
    expect(remote.close()).toBe(closing);
    await closing;
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.request?.timeseries[0]?.samples[0]?.value).toBe(3);
    expect(clock.pendingTimers()).toBe(0);
    await remote.close();
    expect(receiver.received).toHaveLength(1);
  });

  it('makes one attempt for the last write, so that shutdown takes at most the timeout', async () => {
    registry.gauge({ name: 'g', help: 'g' }).set(3);
    receiver.answer({ status: 503 });
    const reported: unknown[] = [];
    const remote = writer({ retries: { maxAttempts: 5 }, onError: (e) => reported.push(e) });
    await remote.close();
    expect(receiver.received).toHaveLength(1);
    expect(reported).toEqual([expect.objectContaining({ status: 503, retryable: true })]);
  });

  it('rejects write() after close()', async () => {
    const remote = writer();
    await remote.close();
    const error = await rejection(remote.write());
    expect(error).toMatchObject({ code: 'REMOTE_WRITE_FAILED', retryable: false });
    expect((error as Error).message).toMatch(/write\(\) after close\(\)/);
  });

  it('resolves when the last write fails, reporting it to onError', async () => {
    registry.gauge({ name: 'g', help: 'g' }).set(3);
    receiver.answer({ status: 400 });
    const reported: BackgroundErrorContext[] = [];
    const remote = writer({ onError: (_e, context) => reported.push(context) });
    await remote.close();
    expect(reported.map((c) => c.operation)).toEqual(['final write']);
  });

  it('is what await using calls', async () => {
    registry.gauge({ name: 'g', help: 'g' }).set(3);
    const remote = writer();
    await remote[Symbol.asyncDispose]();
    expect(receiver.received).toHaveLength(1);
  });
});
