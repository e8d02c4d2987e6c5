import { ConfigurationError, Registry } from '@vigil/core';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { type VigilFastifyOptions, vigil } from '../src/index.js';

const apps: ReturnType<typeof Fastify>[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** Registers the plugin with `options` and answers what the registration rejected with. */
async function rejection(options: unknown): Promise<unknown> {
  const app = Fastify();
  apps.push(app);
  try {
    await app.register(vigil, options as VigilFastifyOptions);
  } catch (error) {
    return error;
  }
  throw new Error('expected the registration to reject');
}

describe('vigil plugin options', () => {
  it('rejects an unknown option, naming it and listing the options', async () => {
    const error = await rejection({ registry: new Registry(), serverTimings: true });
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toContain("unknown option 'serverTimings'");
    expect((error as Error).message).toContain('serverTiming');
  });

  it('rejects a missing registry', async () => {
    const error = await rejection({});
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toBe(
      '@vigil/fastify: registry is required: a Registry from @vigil/core, such as new Registry()',
    );
  });

  it.each([
    ['prefix', 'metrics', /prefix should be '' or a path/],
    ['prefix', 42, /prefix should be '' or a path/],
    ['serverTiming', 'yes', /serverTiming should be true or false, got "yes"/],
    ['endpoints', 0, /endpoints should be true or false, got 0/],
  ])('rejects %s: %j', async (field, value, message) => {
    const error = await rejection({ registry: new Registry(), [field]: value });
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toMatch(message);
  });

  it('passes the router and metrics options on, which check theirs', async () => {
    const token = await rejection({ registry: new Registry(), token: 'short' });
    expect(token).toMatchObject({ code: 'INVALID_OPTION' });
    expect((token as Error).message).toMatch(/token/);
    const reads = await rejection({ registry: new Registry(), protectReadEndpoints: true });
    expect((reads as Error).message).toMatch(/protectReadEndpoints needs a token/);
    const routes = await rejection({ registry: new Registry(), maxRoutes: 0 });
    expect((routes as Error).message).toMatch(/maxRoutes/);
  });

  it('rejects options that are not an object', async () => {
    const error = await rejection([]);
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('accepts undefined for the optional fields, as configuration passes them through', async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(vigil, {
      registry: new Registry(),
      health: undefined,
      token: undefined,
      serverTiming: undefined,
      excludePaths: undefined,
      maxRoutes: undefined,
    });
    await app.ready();
    expect(app.hasRoute({ method: 'GET', url: '/metrics' })).toBe(true);
    expect(app.hasRoute({ method: 'GET', url: '/health' })).toBe(false);
  });
});
