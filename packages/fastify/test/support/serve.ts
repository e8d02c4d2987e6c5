import { Registry } from '@vigil/core';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type VigilFastifyOptions, vigil } from '../../src/index.js';

/** A Fastify app with the plugin, listening on 127.0.0.1 on a port the OS picked. */
export interface Served {
  readonly app: FastifyInstance;
  readonly registry: Registry;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
}

const open: FastifyInstance[] = [];

/**
 * Builds a Fastify app, registers the plugin at the root with `options` (a fresh registry that
 * throws on invalid observations unless one is given), lets `routes` add routes, and listens.
 */
export async function serve(
  options: Partial<VigilFastifyOptions> = {},
  routes: (app: FastifyInstance) => void | Promise<void> = () => {},
  server: FastifyServerOptions = {},
): Promise<Served> {
  const registry = options.registry ?? new Registry({ onInvalid: 'throw' });
  const app = Fastify({ forceCloseConnections: true, ...server });
  open.push(app);
  await app.register(vigil, { ...options, registry });
  await routes(app);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, registry, url };
}

/** Closes every app `serve` started; call it in `afterEach`. */
export async function closeApps(): Promise<void> {
  await Promise.all(open.splice(0).map((app) => app.close()));
}

/** A promise with its resolve function, for handlers that wait for the test. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
