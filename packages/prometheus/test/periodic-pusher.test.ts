import type { IncomingMessage } from 'node:http';
import { type BackgroundErrorContext, Registry } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { caught, serveOnLoopback } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { PeriodicPusher, PushError, Pushgateway } from '../src/index.js';

interface Received {
  method: string | undefined;
  body: string;
}

/**
 * A stand-in Pushgateway on loopback that answers each request with the next status of
 * `statuses` (the last one repeats), recording what it got.
 */
async function fakeGateway(statuses: number[]) {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const server = await serveOnLoopback((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method, body });
      const status = statuses.length > 1 ? (statuses.shift() as number) : (statuses[0] as number);
      res.statusCode = status;
      res.end(status >= 400 ? 'refused' : '');
      for (const wake of waiters.splice(0)) wake();
    });
  });
  /** Resolves once `count` requests have been answered. */
  const requests = async (count: number) => {
    while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    await new Promise((resolve) => setTimeout(resolve, 10)); // let the pusher see the answer
    return received;
  };
  return { server, received, requests };
}

const closing: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close()));
});

async function setUp(statuses: number[], extra: Record<string, unknown> = {}) {
  const fake = await fakeGateway(statuses);
  closing.push(fake.server.close);
  const registry = new Registry();
  registry.counter({ name: 'runs_total', help: 'Runs.' }).inc(3);
  const clock = manualClock();
  const errors: Array<[unknown, BackgroundErrorContext]> = [];
  const gateway = new Pushgateway({ url: fake.server.url, job: 'worker', registry });
  const pusher = new PeriodicPusher({
    gateway,
    interval: '10s',
    timers: clock,
    clock,
    onError: (error, context) => errors.push([error, context]),
    ...extra,
  });
  closing.push(() => pusher.close());
  return { ...fake, clock, errors, pusher };
}

describe('PeriodicPusher', () => {
  it('pushes the registry every interval, from one interval after it starts', async () => {
    const { clock, received, requests, pusher } = await setUp([200]);
    clock.advance(9_999);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toHaveLength(0);
    clock.advance(1);
    await requests(1);
    clock.advance(10_000);
    const [first, second] = await requests(2);
    expect(first).toEqual({ method: 'PUT', body: expect.stringContaining('runs_total 3') });
    expect(second?.method).toBe('PUT');
    expect(pusher.stats()).toMatchObject({ pushes: 2, failures: 0, lastSuccess: clock.now() });
  });

  it('after a failure tries again after 1 s, doubling, capped at the interval, and back to the interval on success', async () => {
    const { clock, received, requests, errors, pusher } = await setUp([
      503, 503, 503, 503, 503, 200,
    ]);
    clock.advance(10_000);
    await requests(1);
    const gaps = [1_000, 2_000, 4_000, 8_000, 10_000];
    for (const [n, gap] of gaps.entries()) {
      clock.advance(gap - 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(received).toHaveLength(n + 1);
      clock.advance(1);
      await requests(n + 2);
    }
    expect(pusher.stats()).toMatchObject({ pushes: 1, failures: 5, failuresInARow: 0 });
    expect(errors).toHaveLength(5);
    expect(errors[0]?.[0]).toBeInstanceOf(PushError);
    expect(errors[0]?.[1]).toEqual({
      source: expect.stringMatching(
        /^PeriodicPusher http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/worker$/,
      ),
      operation: 'push',
    });
    clock.advance(9_999);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toHaveLength(6);
  });

  it('after a push the Pushgateway refused (4xx) waits the whole interval', async () => {
    const { clock, received, requests } = await setUp([400, 200]);
    clock.advance(10_000);
    await requests(1);
    clock.advance(9_999);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toHaveLength(1);
    clock.advance(1);
    await requests(2);
  });

  it('close() does a last push, then deletes the group with deleteOnClose; twice is once', async () => {
    const { requests, pusher } = await setUp([200], { deleteOnClose: true, method: 'pushAdd' });
    const closed = pusher.close();
    expect(pusher.close()).toBe(closed);
    await expect(closed).resolves.toEqual({ pushed: true, deleted: true });
    const received = await requests(2);
    expect(received.map((r) => r.method)).toEqual(['POST', 'DELETE']);
  });

  it('close() with the Pushgateway down resolves, reporting what failed to onError', async () => {
    const { server, errors, pusher } = await setUp([200], { deleteOnClose: true });
    await server.close();
    await expect(pusher.close()).resolves.toEqual({ pushed: false, deleted: false });
    expect(errors.map(([, context]) => context.operation)).toEqual(['push', 'delete on close']);
  });

  it('stops its timer on close(): nothing is pushed afterwards', async () => {
    const { clock, requests, received, pusher } = await setUp([200]);
    await pusher.close();
    await requests(1);
    clock.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toHaveLength(1);
  });

  it('pushNow() pushes between timed pushes and never rejects', async () => {
    const { pusher, errors } = await setUp([500]);
    await expect(pusher.pushNow()).resolves.toBe(false);
    expect(errors).toHaveLength(1);
  });

  it.each([
    [{ gateway: undefined }, /gateway should be a Pushgateway/],
    [{ gateway: {} }, /gateway should be a Pushgateway/],
    [{ interval: 0 }, /interval/],
    [{ method: 'post' }, /method should be one of "push", "pushAdd"/],
    [{ deleteOnClose: 'yes' }, /deleteOnClose should be/],
    [{ every: '1s' }, /unknown option 'every'/],
  ])('refuses bad options (case %#)', (options, message) => {
    const gateway = new Pushgateway({
      url: 'http://127.0.0.1:1',
      job: 'j',
      registry: new Registry(),
    });
    const error = caught(() => new PeriodicPusher({ gateway, ...options } as never));
    expect((error as Error).message).toMatch(message);
  });
});
