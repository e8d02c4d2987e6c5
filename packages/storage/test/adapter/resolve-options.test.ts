import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveStoreOptions } from '../../src/adapter/index.js';

describe('resolveStoreOptions', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('defaults: 30 d retention, 1 h sweeps, 10,000 dead letters, Date.now', () => {
    const resolved = resolveStoreOptions('TestStore', {}, []);
    expect(resolved.retentionMs).toBe(30 * 86_400_000);
    expect(resolved.sweepIntervalMs).toBe(3_600_000);
    expect(resolved.maxDeadLetters).toBe(10_000);
    expect(Math.abs(resolved.clock.now() - Date.now())).toBeLessThan(1_000);
  });

  it('takes durations, retention false and the adapter’s own options', () => {
    const clock = { now: () => 5 };
    const onError = vi.fn();
    const resolved = resolveStoreOptions(
      'TestStore',
      { clock, retention: false, sweepInterval: '5m', maxDeadLetters: 3, onError, url: 'x' },
      ['url'],
    );
    expect(resolved).toEqual({
      clock,
      retentionMs: undefined,
      sweepIntervalMs: 300_000,
      maxDeadLetters: 3,
      onError: expect.any(Function),
    });
    const failure = new Error('disk full');
    resolved.onError(failure);
    expect(onError).toHaveBeenCalledWith(failure, { source: 'TestStore', operation: 'sweep' });
    expect(resolveStoreOptions('TestStore', { retention: '7d' }, []).retentionMs).toBe(604_800_000);
  });

  it('rejects unknown options, naming the known ones', () => {
    expect(() => resolveStoreOptions('TestStore', { retension: '1d' }, ['url'])).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: expect.stringMatching(/TestStore: unknown option 'retension'.*url, clock/),
      }),
    );
  });

  it('rejects bad values with INVALID_OPTION or INVALID_DURATION', () => {
    for (const maxDeadLetters of [0, 1.5, -3]) {
      expect(() => resolveStoreOptions('TestStore', { maxDeadLetters }, [])).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION' }),
      );
    }
    expect(() => resolveStoreOptions('TestStore', { sweepInterval: 0 }, [])).toThrow(
      expect.objectContaining({ code: 'INVALID_DURATION' }),
    );
    expect(() => resolveStoreOptions('TestStore', { retention: 'a month' }, [])).toThrow(
      expect.objectContaining({ code: 'INVALID_DURATION' }),
    );
  });

  it('accepts options passed explicitly as undefined', () => {
    const resolved = resolveStoreOptions(
      'TestStore',
      { clock: undefined, retention: undefined, maxDeadLetters: undefined, onError: undefined },
      [],
    );
    expect(resolved.maxDeadLetters).toBe(10_000);
    expect(resolved.retentionMs).toBe(30 * 86_400_000);
  });

  it('reports background errors as one VigilWarning by default', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const { onError } = resolveStoreOptions('TestStore', {}, []);
    onError(new Error('disk full'));
    onError(new Error('disk still full'));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('TestStore: sweep failed in the background: disk full'),
      { type: 'VigilWarning', code: 'VIGIL_BACKGROUND_ERROR' },
    );
  });
});
