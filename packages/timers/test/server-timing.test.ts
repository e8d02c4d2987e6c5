import { describe, expect, it } from 'vitest';
import { serverTiming, type TimingEntry, timingScope } from '../src/index.js';

const entry = (name: string, durationMs: number, detail?: string): TimingEntry =>
  detail === undefined
    ? { name, durationMs, failed: false }
    : { name, durationMs, failed: false, detail };

describe('serverTiming()', () => {
  it('renders one metric per name, durations summed, in first-seen order', () => {
    const header = serverTiming([entry('db', 10), entry('api', 40.1), entry('db', 2.3)]);
    expect(header).toBe('db;dur=12.3, api;dur=40.1');
  });

  it('rounds to at most two decimals', () => {
    expect(serverTiming([entry('db', 1.23456)])).toBe('db;dur=1.23');
    expect(serverTiming([entry('db', 7)])).toBe('db;dur=7');
  });

  it('sanitises names to HTTP tokens', () => {
    expect(serverTiming([entry('GET /users/:id', 1), entry('', 2), entry('naïve', 3)])).toBe(
      'GET__users__id;dur=1, timer;dur=2, na_ve;dur=3',
    );
  });

  it('never renders details such as SQL fingerprints', () => {
    expect(serverTiming([entry('db', 1, 'SELECT * FROM secrets WHERE id = ?')])).toBe('db;dur=1');
  });

  it('skips non-finite durations and returns an empty string when there is nothing', () => {
    expect(serverTiming([entry('db', Number.NaN)])).toBe('');
    expect(serverTiming([])).toBe('');
  });

  it('defaults to the active scope’s entries', () => {
    const header = timingScope((scope) => {
      scope.add('cache', 0.5);
      return serverTiming();
    });
    expect(header).toBe('cache;dur=0.5');
    expect(serverTiming()).toBe('');
  });
});
