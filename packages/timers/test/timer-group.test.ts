import { ConfigurationError, Registry } from '@vigil/core';
import { caught } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTimers, measure, TimerGroup, timingScope } from '../src/index.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

const SQL = "SELECT * FROM users WHERE email = 'ann@example.com' AND id IN (1, 2)";

describe('createTimers()', () => {
  it('registers three well-named histograms with outcome labels', () => {
    const registry = new Registry();
    const timers = createTimers(registry);
    expect(timers).toBeInstanceOf(TimerGroup);
    expect(registry.get('vigil_api_duration_seconds')?.labelNames).toEqual([
      'route',
      'method',
      'result',
    ]);
    expect(registry.get('vigil_db_duration_seconds')?.labelNames).toEqual([
      'operation',
      'table',
      'result',
    ]);
    expect(registry.get('vigil_custom_duration_seconds')?.labelNames).toEqual(['name', 'result']);
  });

  it('api(route, method) times one API call', () => {
    const timers = createTimers(new Registry({ onInvalid: 'throw' }));
    {
      using _t = timers.api('/users/:id', 'GET');
      vi.advanceTimersByTime(40);
    }
    expect(
      timers.apiDuration.get({ route: '/users/:id', method: 'GET', result: 'success' }),
    ).toMatchObject({ count: 1, sum: 0.04 });
  });

  it('db(operation, table) and custom(name) time their work; fail() records result="error"', () => {
    const timers = createTimers(new Registry({ onInvalid: 'throw' }));
    timers.db('select', 'users').end();
    timers.db('vacuum').fail().end();
    timers.custom('score').end();
    expect(
      timers.dbDuration.get({ operation: 'select', table: 'users', result: 'success' }),
    ).toMatchObject({ count: 1 });
    expect(
      timers.dbDuration.get({ operation: 'vacuum', table: '', result: 'error' }),
    ).toMatchObject({ count: 1 });
    expect(timers.customDuration.get({ name: 'score', result: 'success' })).toMatchObject({
      count: 1,
    });
  });

  it('bindApi / bindDb / bindCustom return cached BoundTimers for measure() and @timed()', async () => {
    const timers = createTimers(new Registry({ onInvalid: 'throw' }));
    expect(timers.bindApi('/a', 'GET')).toBe(timers.bindApi('/a', 'GET'));
    expect(timers.bindDb('select', 'users')).toBe(timers.bindDb('select', 'users'));
    expect(timers.bindCustom('score')).toBe(timers.bindCustom('score'));
    const failing = measure(timers.bindDb('insert', 'orders'), () =>
      Promise.reject(new Error('dup')),
    );
    await expect(failing).rejects.toThrow('dup');
    expect(
      timers.dbDuration.get({ operation: 'insert', table: 'orders', result: 'error' }),
    ).toMatchObject({ count: 1 });
  });

  it('names scope entries api, db and the custom name, with the SQL fingerprint as the db detail', () => {
    const timers = createTimers(new Registry());
    const entries = timingScope((scope) => {
      timers.api('/users/:id', 'GET').end();
      timers.db('select', 'users', SQL).end();
      timers.custom('score').end();
      return scope.entries;
    });
    expect(entries.map((entry) => [entry.name, entry.detail])).toEqual([
      ['api', 'GET /users/:id'],
      ['db', 'SELECT * FROM users WHERE email = ? AND id IN (?+)'],
      ['score', undefined],
    ]);
  });

  it('never puts SQL in a label unless queryLabel is set, and then only the fingerprint', async () => {
    const plain = new Registry();
    createTimers(plain).db('select', 'users', SQL).end();
    expect(await plain.metrics()).not.toContain('example.com');

    const labelled = new Registry();
    const timers = createTimers(labelled, { queryLabel: true, maxQueryLength: 30 });
    timers.db('select', 'users', SQL).end();
    timers.db('select', 'users', SQL.replace('ann', 'bob')).end();
    const text = await labelled.metrics();
    expect(text).not.toContain('example.com');
    expect(text).toContain(
      'vigil_db_duration_seconds_count{operation="select",table="users",query="SELECT * FROM users WHERE emai",result="success"} 2',
    );
  });

  it('shares its histograms with a second group on the same registry; honours prefix and buckets', () => {
    const registry = new Registry();
    const a = createTimers(registry);
    const b = createTimers(registry);
    expect(b.apiDuration).toBe(a.apiDuration);
    const custom = createTimers(registry, { prefix: 'shop_', buckets: [0.1, 1] });
    expect(custom.apiDuration.name).toBe('shop_api_duration_seconds');
    expect([...custom.apiDuration.bounds]).toEqual([0.1, 1]);
  });

  it("throws core's INVALID_OPTION for a bad registry or option", () => {
    const registry = new Registry();
    const cases: Array<[unknown, unknown, string]> = [
      [undefined, {}, 'createTimers: registry is required'],
      [{}, {}, 'registry should be a Registry from @vigil/core'],
      [registry, [], 'options should be an object'],
      [registry, { prefx: 'a_' }, "unknown option 'prefx'"],
      [registry, { prefix: 3 }, 'prefix'],
      [registry, { queryLabel: 'yes' }, 'queryLabel'],
      [registry, { maxQueryLength: 0 }, 'maxQueryLength'],
    ];
    for (const [target, options, mention] of cases) {
      const error = caught(() => createTimers(target as Registry, options as never));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ code: 'INVALID_OPTION' });
      expect((error as Error).message).toContain(mention);
    }
  });

  it('reads an option passed as undefined as its default', () => {
    const registry = new Registry();
    const group = createTimers(registry, {
      prefix: undefined,
      buckets: undefined,
      queryLabel: undefined,
      maxQueryLength: undefined,
    });
    expect(group.apiDuration.name).toBe('vigil_api_duration_seconds');
    expect(group.dbDuration.labelNames).toEqual(['operation', 'table', 'result']);
  });
});
