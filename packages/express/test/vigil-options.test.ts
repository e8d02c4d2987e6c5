import { ConfigurationError, Registry } from '@vigil/core';
import { HttpMetrics, MonitoringRouter } from '@vigil/http';
import { describe, expect, it } from 'vitest';
import { type VigilOptions, vigil } from '../src/index.js';

function thrownBy(options: unknown): unknown {
  try {
    vigil(options as VigilOptions);
  } catch (error) {
    return error;
  }
  throw new Error('expected vigil() to throw');
}

describe('vigil() options', () => {
  it('exposes the metrics and the router it built from them', () => {
    const registry = new Registry();
    const middleware = vigil({ registry, prefix: '/_vigil', maxRoutes: 20 });
    expect(middleware.metrics).toBeInstanceOf(HttpMetrics);
    expect(middleware.router).toBeInstanceOf(MonitoringRouter);
    expect(middleware.router.prefix).toBe('/_vigil');
    expect(registry.get('http_server_request_duration_seconds')).toBe(middleware.metrics.duration);
    expect(middleware.length).toBe(3); // an Express request handler, not an error handler
  });

  it('takes undefined for every optional option', () => {
    const registry = new Registry();
    const middleware = vigil({
      registry,
      health: undefined,
      prefix: undefined,
      token: undefined,
      serverTiming: undefined,
      route: undefined,
      routes: undefined,
      openMetrics: undefined,
      onError: undefined,
      excludePaths: undefined,
      unmatchedRoute: undefined,
    });
    expect(middleware.router.prefix).toBe('');
    expect(middleware.metrics.unmatchedRoute).toBe('');
  });

  it.each([
    ['no options', undefined, /^vigil: options should be an object, got undefined$/],
    [
      'a misspelt option',
      { registry: new Registry(), tokne: 'x' },
      /^vigil: unknown option 'tokne'; the options are /,
    ],
    [
      'serverTiming: "yes"',
      { registry: new Registry(), serverTiming: 'yes' },
      /^vigil: serverTiming should be true or false, got "yes"$/,
    ],
    [
      'route: a string',
      { registry: new Registry(), route: '/users/:id' },
      /^vigil: route should be a function, got "\/users\/:id"$/,
    ],
    [
      'no registry',
      {},
      /^vigil: registry is required: a Registry from @vigil\/core, such as new Registry\(\)$/,
    ],
    [
      'a registry that is not one',
      { registry: { metrics: () => '' } },
      /^vigil: registry should be a Registry from @vigil\/core, such as new Registry\(\), got \{\}$/,
    ],
  ])('refuses %s with INVALID_OPTION naming the field', (_name, options, message) => {
    const error = thrownBy(options);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toMatch(message);
  });

  it('passes on the errors of the metrics and router options', () => {
    expect(thrownBy({ registry: new Registry(), openMetrics: 'always' })).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringMatching(/^createMonitoringRouter: openMetrics should be one of/),
    });
    expect(thrownBy({ registry: new Registry(), maxRoutes: 0 })).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('maxRoutes should be a positive integer, got 0'),
    });
    expect(thrownBy({ registry: new Registry(), token: 'short' })).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('createMonitoringRouter'),
    });
    expect(thrownBy({ registry: new Registry(), prefix: 'vigil' })).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining("prefix should be '' or a path"),
    });
  });

  it('registers no metric when an option is refused', () => {
    const registry = new Registry();
    expect(thrownBy({ registry, token: 'short' })).toBeInstanceOf(ConfigurationError);
    expect(registry.snapshot().metrics).toEqual([]);
  });
});
