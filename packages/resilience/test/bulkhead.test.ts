import { ConfigurationError, type Counter, type Gauge, Registry } from '@vigil/core';
import { caught, type Deferred, deferred, rejection } from '@vigil/test-support';
import { describe, expect, it, vi } from 'vitest';
import {
  AbortedError,
  Bulkhead,
  BulkheadFullError,
  type BulkheadOptions,
  bulkhead,
} from '../src/index.js';

/** Starts a call that runs until the test settles its deferred. */
function hold(policy: Bulkhead, signal?: AbortSignal) {
  const task: Deferred<string> = deferred<string>();
  const started = vi.fn();
  const result = policy.execute(() => {
    started();
    return task.promise;
  }, signal);
  return { task, started, result };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Bulkhead', () => {
  it('runs up to concurrency calls at once and queues the rest in order', async () => {
    const policy = bulkhead({ concurrency: 2, queue: 2 });
    const calls = [hold(policy), hold(policy), hold(policy), hold(policy)];
    await tick();
    expect(calls.map((c) => c.started.mock.calls.length)).toEqual([1, 1, 0, 0]);
    expect([policy.active, policy.queued]).toEqual([2, 2]);
    calls[1]?.task.resolve('b');
    await expect(calls[1]?.result).resolves.toBe('b');
    await tick();
    expect(calls.map((c) => c.started.mock.calls.length)).toEqual([1, 1, 1, 0]);
    calls[0]?.task.reject(new Error('a failed'));
    await expect(calls[0]?.result).rejects.toThrow('a failed');
    await tick();
    expect(calls[3]?.started).toHaveBeenCalledTimes(1);
    expect([policy.active, policy.queued]).toEqual([2, 0]);
    calls[2]?.task.resolve('c');
    calls[3]?.task.resolve('d');
    await Promise.all(calls.slice(2).map((c) => c.result));
    expect([policy.active, policy.queued]).toEqual([0, 0]);
  });

  it('rejects with BulkheadFullError when every slot and queue place is taken', async () => {
    const policy = new Bulkhead({ concurrency: 1, queue: 1 });
    const rejected = vi.fn();
    policy.on('rejected', rejected);
    const running = hold(policy);
    const queued = hold(policy);
    const fn = vi.fn();
    const error = await rejection(policy.execute(fn));
    expect(error).toBeInstanceOf(BulkheadFullError);
    expect(error).toMatchObject({ code: 'BULKHEAD_FULL', concurrency: 1, queue: 1 });
    expect(fn).not.toHaveBeenCalled();
    expect(rejected).toHaveBeenCalledWith({ error });
    running.task.resolve('1');
    queued.task.resolve('2');
    await Promise.all([running.result, queued.result]);
  });

  it('rejects at once with no queue by default', async () => {
    const policy = new Bulkhead({ concurrency: 1 });
    const running = hold(policy);
    await expect(policy.execute(() => 1)).rejects.toBeInstanceOf(BulkheadFullError);
    running.task.resolve('done');
    await running.result;
    await expect(policy.execute(() => 2)).resolves.toBe(2);
  });

  it('frees the slot of a task that throws synchronously', async () => {
    const policy = new Bulkhead({ concurrency: 1 });
    await expect(
      policy.execute(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(policy.active).toBe(0);
  });

  it('takes a queued call whose signal aborts out of the queue', async () => {
    const policy = new Bulkhead({ concurrency: 1, queue: 2 });
    const running = hold(policy);
    const controller = new AbortController();
    const leaving = hold(policy, controller.signal);
    const staying = hold(policy);
    expect(policy.queued).toBe(2);
    controller.abort('no longer needed');
    const error = await rejection(leaving.result);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).cause).toBe('no longer needed');
    expect(policy.queued).toBe(1);
    running.task.resolve('1');
    await tick();
    expect(leaving.started).not.toHaveBeenCalled();
    expect(staying.started).toHaveBeenCalledTimes(1);
    staying.task.resolve('3');
    await staying.result;
  });

  it('passes the slot on when a queued call aborts after it was handed the slot', async () => {
    const policy = new Bulkhead({ concurrency: 1, queue: 2 });
    const running = hold(policy);
    const controller = new AbortController();
    const handed = hold(policy, controller.signal);
    const next = hold(policy);
    running.task.resolve('1');
    // Runs after the running call frees its slot for `handed`, before `handed` resumes.
    queueMicrotask(() => controller.abort('too late'));
    await running.result;
    expect(await rejection(handed.result)).toBeInstanceOf(AbortedError);
    await tick();
    expect(handed.started).not.toHaveBeenCalled();
    expect(next.started).toHaveBeenCalledTimes(1);
    expect([policy.active, policy.queued]).toEqual([1, 0]);
    next.task.resolve('3');
    await next.result;
    expect(policy.active).toBe(0);
  });

  it('rejects with AbortedError without queueing when the signal already aborted', async () => {
    const policy = new Bulkhead({ concurrency: 1 });
    await expect(policy.execute(() => 1, AbortSignal.abort())).rejects.toBeInstanceOf(AbortedError);
    expect(policy.active).toBe(0);
  });

  it('passes the signal to the task', async () => {
    const controller = new AbortController();
    let received: AbortSignal | undefined;
    await new Bulkhead({ concurrency: 1 }).execute((signal) => {
      received = signal;
    }, controller.signal);
    expect(received).toBe(controller.signal);
  });

  it('keeps metrics: rejections, running and queued calls', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const policy = new Bulkhead({ concurrency: 1, queue: 1, name: 'exports', registry });
    const running = hold(policy);
    const queued = hold(policy);
    await policy.execute(() => 1).catch(() => 0);
    const active = registry.get('vigil_bulkhead_active') as Gauge<'policy'>;
    const waiting = registry.get('vigil_bulkhead_queued') as Gauge<'policy'>;
    const rejections = registry.get('vigil_bulkhead_rejected_total') as Counter<'policy'>;
    expect(active.get({ policy: 'exports' })).toBe(1);
    expect(waiting.get({ policy: 'exports' })).toBe(1);
    expect(rejections.get({ policy: 'exports' })).toBe(1);
    running.task.resolve('1');
    queued.task.resolve('2');
    await Promise.all([running.result, queued.result]);
    expect(active.get({ policy: 'exports' })).toBe(0);
    expect(waiting.get({ policy: 'exports' })).toBe(0);
  });

  it.each([
    [{ concurrency: 0 }, 'concurrency should be a positive integer, got 0'],
    [{ concurrency: 2, queue: -1 }, 'queue should be a non-negative integer, got -1'],
    [{ concurrency: 2, queue: 1.5 }, 'queue should be a non-negative integer, got 1.5'],
    [{}, 'Bulkhead: concurrency is required: how many calls may run at once, such as 10'],
    [undefined, 'Bulkhead: options should be an object, got undefined'],
    [{ concurrency: 1, limit: 3 }, "unknown option 'limit'"],
    [{ concurrency: 1, registry: new Registry() }, 'name is required'],
  ])('rejects %j with INVALID_OPTION', (options, message) => {
    const error = caught(() => bulkhead(options as BulkheadOptions));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toContain(message);
  });

  it('accepts the optional options as explicitly undefined', () => {
    const policy = bulkhead({
      concurrency: 2,
      queue: undefined,
      name: undefined,
      registry: undefined,
    });
    expect(policy.queue).toBe(0);
  });
});

describe('Bulkhead listeners', () => {
  it('a throwing rejected listener goes to onError; the caller still gets BulkheadFullError', async () => {
    const failures: unknown[] = [];
    const policy = bulkhead({ concurrency: 1, onError: (error) => failures.push(error) });
    const bug = new Error('listener bug');
    policy.on('rejected', () => {
      throw bug;
    });
    const first = hold(policy);
    const error = await rejection(policy.execute(async () => 'never'));
    expect(error).toBeInstanceOf(BulkheadFullError);
    expect(failures).toEqual([bug]);
    first.task.resolve('a');
    await expect(first.result).resolves.toBe('a');
  });
});
