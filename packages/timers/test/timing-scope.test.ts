import { ConfigurationError, Registry } from '@vigil/core';
import { caught } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentScope, currentTimings, measure, timer, timingScope } from '../src/index.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  const registry = new Registry({ onInvalid: 'throw' });
  const db = registry.histogram({ name: 'db_seconds', help: 'DB.', labelNames: ['result'] });
  const render = registry.histogram({ name: 'render_seconds', help: 'Render.' });
  return { db, render };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('timingScope()', () => {
  it('returns what fn returns and collects every timer stopped inside, across awaits', async () => {
    const { db, render } = setup();
    const pending = timingScope(async () => {
      await measure(db, undefined, () => sleep(12));
      await sleep(1);
      const t = timer(render);
      await sleep(3);
      t.end();
      return currentTimings();
    });
    await vi.advanceTimersByTimeAsync(20);
    expect(await pending).toEqual([
      { name: 'db_seconds', durationMs: 12, failed: false },
      { name: 'render_seconds', durationMs: 3, failed: false },
    ]);
  });

  it('marks entries of failed work', () => {
    const { db } = setup();
    const entries = timingScope((scope) => {
      caught(() =>
        measure(db, undefined, () => {
          throw new Error('x');
        }),
      );
      return scope.entries;
    });
    expect(entries).toEqual([{ name: 'db_seconds', durationMs: 0, failed: true }]);
  });

  it('keeps concurrent scopes apart', async () => {
    const { db } = setup();
    const request = (ms: number) =>
      timingScope(async (scope) => {
        await measure(db, undefined, () => sleep(ms));
        return scope.entries.map((entry) => entry.durationMs);
      });
    const both = Promise.all([request(10), request(30)]);
    await vi.advanceTimersByTimeAsync(30);
    expect(await both).toEqual([[10], [30]]);
  });

  it('records into the scope the timer started in, not the context that stops it', async () => {
    // A batcher created during one request flushes in that request's async context; the timers
    // of later requests it stops must not land in (and pile up on) that first request's scope.
    const { db } = setup();
    let release = (): void => undefined;
    const flushed = new Promise<void>((resolve) => {
      release = resolve;
    });
    const queued: Array<ReturnType<typeof timer>> = [];
    const first = timingScope(async (scope) => {
      void flushed.then(() => {
        for (const t of queued) t.end();
      });
      return scope;
    });
    const second = timingScope(async (scope) => {
      queued.push(timer(db));
      return scope;
    });
    release();
    await flushed;
    await Promise.resolve();
    expect(queued[0]?.ended).toBe(true);
    expect((await second).entries).toHaveLength(1);
    expect((await first).entries).toEqual([]);
  });

  it('passes entries of a nested scope to the enclosing ones', () => {
    const { render } = setup();
    let inner: readonly unknown[] = [];
    const outer = timingScope((scope) => {
      timer(render).end();
      inner = timingScope((nested) => {
        timer(render).end();
        return nested.entries;
      });
      return scope.entries;
    });
    expect(inner).toHaveLength(1);
    expect(outer).toHaveLength(2);
  });

  it('records nothing, and currentTimings() is empty, outside a scope', () => {
    const { render } = setup();
    timer(render).end();
    expect(currentScope()).toBeUndefined();
    expect(currentTimings()).toEqual([]);
  });

  it('add() records a duration measured by other means', () => {
    const entries = timingScope((scope) => {
      scope.add('cache', 1.5);
      scope.add('upstream', 20, true, 'GET /partner');
      return scope.entries;
    });
    expect(entries).toEqual([
      { name: 'cache', durationMs: 1.5, failed: false },
      { name: 'upstream', durationMs: 20, failed: true, detail: 'GET /partner' },
    ]);
  });

  it('keeps at most maxEntries entries and counts the rest as dropped', () => {
    const { render } = setup();
    const scope = timingScope(
      (s) => {
        for (let i = 0; i < 5; i++) timer(render).end();
        return s;
      },
      { maxEntries: 3 },
    );
    expect(scope.entries).toHaveLength(3);
    expect(scope.dropped).toBe(2);
  });

  it("throws core's INVALID_OPTION for a bad maxEntries or option", () => {
    for (const maxEntries of [-1, 1.5, Number.NaN]) {
      const error = caught(() => timingScope(() => 1, { maxEntries }));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ code: 'INVALID_OPTION' });
      expect((error as Error).message).toContain(
        'timingScope: maxEntries should be a non-negative integer',
      );
    }
    const misspelt = caught(() => timingScope(() => 1, { maxEntry: 3 } as never));
    expect(misspelt).toMatchObject({ code: 'INVALID_OPTION' });
    expect((misspelt as Error).message).toContain("unknown option 'maxEntry'");
  });

  it('reads maxEntries passed as undefined as the default', () => {
    expect(timingScope((scope) => scope.dropped, { maxEntries: undefined })).toBe(0);
  });
});
