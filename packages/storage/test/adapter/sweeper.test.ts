import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSweeper } from '../../src/adapter/index.js';

describe('startSweeper', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the sweep every interval until stopped', async () => {
    const sweep = vi.fn(async () => 1);
    const stop = startSweeper(1_000, sweep, () => {});
    await vi.advanceTimersByTimeAsync(999);
    expect(sweep).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sweep).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(sweep).toHaveBeenCalledTimes(4);
    await stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sweep).toHaveBeenCalledTimes(4);
  });

  it('passes failures to onError and keeps sweeping', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const stop = startSweeper(
      100,
      async () => {
        calls++;
        if (calls === 1) throw new Error('backend down');
      },
      (error) => errors.push(error),
    );
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toBe(3);
    expect(errors).toEqual([new Error('backend down')]);
    await stop();
  });

  it('survives an onError that throws', async () => {
    const sweep = vi.fn(async () => {
      throw new Error('fails');
    });
    const stop = startSweeper(100, sweep, () => {
      throw new Error('handler fails too');
    });
    await vi.advanceTimersByTimeAsync(300);
    expect(sweep).toHaveBeenCalledTimes(3);
    await stop();
  });

  it('never overlaps a slow sweep, and stop() waits for the one in flight', async () => {
    let finish: (() => void) | undefined;
    let running = 0;
    let finished = false;
    const sweep = vi.fn(() => {
      running++;
      return new Promise<void>((resolve) => {
        finish = () => {
          running--;
          finished = true;
          resolve();
        };
      });
    });
    const stop = startSweeper(100, sweep, () => {});
    await vi.advanceTimersByTimeAsync(500);
    expect(sweep).toHaveBeenCalledTimes(1);
    expect(running).toBe(1);
    const stopped = stop();
    let done = false;
    void stopped.then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);
    finish?.();
    await stopped;
    expect(finished).toBe(true);
  });

  it('unref()s its timer, so it never keeps the process alive', async () => {
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const stop = startSweeper(
      100,
      async () => {},
      () => {},
    );
    const timer = setIntervalSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    await stop();
  });
});
