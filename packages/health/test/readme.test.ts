import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { type RunningExample, runReadmeExample } from '@vigil/test-support';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const PACKAGE = join(import.meta.dirname, '..');

/**
 * A TCP relay on 127.0.0.1 to a real server, which the test can cut (every connection reset, new
 * ones refused) and restore on the same port: the server "stops" for the example only, not for
 * the other tests sharing it.
 */
class Relay {
  readonly #target: URL;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  port = 0;

  constructor(target: string) {
    this.#target = new URL(target);
  }

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(Number(this.#target.port), this.#target.hostname);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.resetAndDestroy();
    if (server !== undefined) await new Promise((resolve) => server.close(resolve));
  }

  url(): string {
    const url = new URL(this.#target);
    url.port = String(this.port);
    return url.toString();
  }
}

async function answer(url: string): Promise<{ code: number; status: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const { status } = (await response.json()) as { status: string };
  return { code: response.status, status };
}

/**
 * Polls `url` until it answers `code` with body status `status`: the report is cached for 2 s
 * and the clients reconnect in the background.
 */
async function until(url: string, code: number, status: string): Promise<void> {
  let last = { code: 0, status: '' };
  for (let i = 0; i < 100; i++) {
    last = await answer(url);
    if (last.code === code && last.status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} answered ${JSON.stringify(last)}, never ${code} ${status}`);
}

describe('the README example', () => {
  const postgres = new Relay(inject('postgresUrl'));
  const redis = new Relay(inject('redisUrl'));
  let example: RunningExample;
  let base: string;

  beforeAll(async () => {
    await Promise.all([postgres.start(), redis.start()]);
    example = await runReadmeExample(PACKAGE, /http:\/\/127\.0\.0\.1:\d+/, {
      block: 0,
      env: { DATABASE_URL: postgres.url(), REDIS_URL: redis.url() },
    });
    base = example.printed;
  });

  afterAll(async () => {
    example?.stop();
    await Promise.all([postgres.cut(), redis.cut()]);
  });

  it('is healthy and ready while PostgreSQL and Redis answer', async () => {
    await until(`${base}/health`, 200, 'pass');
    await until(`${base}/health/ready`, 200, 'pass');
  });

  it('survives Redis stopping: degraded, still 200, one line of warning', async () => {
    await redis.cut();
    await until(`${base}/health`, 200, 'warn');
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // several reconnect attempts
    expect(example.alive()).toBe(true);
    expect(example.errors().match(/redis unavailable/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it('survives PostgreSQL stopping: critical, 503, and the process lives on', async () => {
    await postgres.cut();
    await until(`${base}/health`, 503, 'fail');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(example.alive()).toBe(true);
    expect((await answer(`${base}/health/live`)).code).toBe(200);
  });

  it('is healthy again once both are back', async () => {
    await Promise.all([postgres.start(), redis.start()]);
    await until(`${base}/health`, 200, 'pass');
    expect(example.alive()).toBe(true);
  });
});
