import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cache } from '../src/index.js';
import { redisTier } from '../src/redis/index.js';

const SCRIPT = fileURLToPath(new URL('../../../scripts/redis.sh', import.meta.url));
const CHILD = join(import.meta.dirname, 'support', 'cache-child.mjs');
// A Redis of this test's own, which it stops and starts again.
const PORT = '56397';
const directory = mkdtempSync(join(tmpdir(), 'vigil-cache-redis-'));
const redisDir = join(directory, 'redis');
const redis = (action: 'start' | 'stop') =>
  execFileSync('bash', [SCRIPT, action, PORT, redisDir], { encoding: 'utf8' }).trim();

let url = '';
beforeAll(() => {
  url = redis('start');
});
afterAll(() => {
  redis('stop');
  rmSync(directory, { recursive: true, force: true });
});

/** The other process: one command, one answer. */
function child(prefix: string): { process: ChildProcess; ask(line: string): Promise<unknown> } {
  const process_ = spawn(process.execPath, [CHILD, url, prefix], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: Interface = createInterface({ input: process_.stdout as NodeJS.ReadableStream });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const ready = next();
  return {
    process: process_,
    async ask(line) {
      await ready;
      const answer = next();
      process_.stdin?.write(`${line}\n`);
      return JSON.parse(await answer) as unknown;
    },
  };
}

async function until(condition: () => Promise<boolean>, timeout: number): Promise<number> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > timeout) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - started;
}

describe('redisTier: two processes on a real Redis, Redis restarted mid-run', () => {
  it('invalidates across processes within the stated bound, and survives Redis going away', async () => {
    const prefix = `procs-${Date.now()}:`;
    const errors: unknown[] = [];
    const cache = new Cache<string>({
      name: 'shared',
      max: 1_000,
      ttl: '1m',
      l2: redisTier({
        url,
        keyPrefix: prefix,
        timeout: '200ms',
        resetTimeout: '300ms',
        onError: (e) => errors.push(e),
      }),
    });
    const other = child(prefix);
    try {
      await other.ask('has nothing');
      await new Promise((resolve) => setTimeout(resolve, 200)); // both subscribed
      cache.set('k', 'v1');
      await until(async () => (await other.ask('get k')) === 'v1', 2_000);
      cache.set('k', 'v2');
      const bound = await until(async () => (await other.ask('has k')) === false, 2_000);
      expect(bound).toBeLessThan(100);
      expect(await other.ask('get k')).toBe('v2');

      redis('stop');
      // Redis is gone: both keep answering, from memory and their loaders; nothing throws.
      expect(await cache.getOrSet('x', () => 'loaded-by-parent')).toBe('loaded-by-parent');
      cache.set('y', 'set-while-down');
      expect(cache.get('y')).toBe('set-while-down');
      expect(await other.ask('get x')).toBe('loaded-by-child');
      expect(await other.ask('get k')).toBe('v2');
      expect(errors.length).toBeGreaterThan(0);
      expect(other.process.exitCode).toBeNull();

      redis('start');
      // Back: once the breakers close and the subscriptions are renewed, changes travel again.
      await until(async () => {
        cache.set('k', 'v3');
        return (await other.ask('get k')) === 'v3';
      }, 15_000);
    } finally {
      other.process.kill();
      await cache.close();
    }
  }, 60_000);
});
