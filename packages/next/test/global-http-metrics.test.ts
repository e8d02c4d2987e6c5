import { Registry, VigilError } from '@vigil/core';
import { HttpMetrics } from '@vigil/http';
import { afterEach, describe, expect, it } from 'vitest';
import { getHttpMetrics, setHttpMetrics, setRegistry } from '../src/index.js';
import { resetGlobals } from './support/reset.js';
import { requestLabels, sample } from './support/sample.js';

const COUNT = 'http_server_request_duration_seconds_count';

afterEach(() => {
  resetGlobals();
});

describe('getHttpMetrics / setHttpMetrics', () => {
  it('defaults to one HttpMetrics on the process-wide registry, kept between calls', async () => {
    const registry = resetGlobals();
    const metrics = getHttpMetrics();
    expect(getHttpMetrics()).toBe(metrics);
    metrics.end(metrics.start('GET'), '/api/a', 200);
    expect(sample(await registry.metrics(), COUNT, requestLabels('GET', '/api/a', '200'))).toBe(1);
  });

  it('follows setRegistry: a new registry gets its own default metrics', async () => {
    const before = getHttpMetrics();
    const registry = setRegistry(new Registry());
    const after = getHttpMetrics();
    expect(after).not.toBe(before);
    after.end(after.start('GET'), '/api/b', 200);
    expect(sample(await registry.metrics(), COUNT, requestLabels('GET', '/api/b', '200'))).toBe(1);
  });

  it('uses the metrics set, whatever the registry, until they are cleared', () => {
    const custom = new HttpMetrics({ registry: new Registry(), buckets: [0.1, 1] });
    expect(setHttpMetrics(custom)).toBe(custom);
    expect(getHttpMetrics()).toBe(custom);
    setRegistry(new Registry());
    expect(getHttpMetrics()).toBe(custom);
    setHttpMetrics(undefined);
    expect(getHttpMetrics()).not.toBe(custom);
  });

  it('throws INVALID_OPTION for something that is not an HttpMetrics', () => {
    let thrown: unknown;
    try {
      setHttpMetrics(new Registry() as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VigilError);
    expect(thrown).toMatchObject({ code: 'INVALID_OPTION' });
    expect((thrown as Error).message).toContain('setHttpMetrics: metrics should be an HttpMetrics');
  });
});
