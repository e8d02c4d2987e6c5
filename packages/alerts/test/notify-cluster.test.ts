import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, inject, it } from 'vitest';

const CHILD = join(import.meta.dirname, 'support', 'notify-child.mjs');
const ALERTS = 30;

interface Received {
  readonly id: string;
  readonly status: string;
  readonly n: string;
}

interface Instance {
  readonly name: string;
  readonly process: ChildProcess;
  leader: boolean;
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(condition: () => boolean, timeout: number, what: string): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(50);
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** The receiving server: every webhook it gets, with its notification id. */
async function receiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        alerts: { status: string; labels: Record<string, string> }[];
      };
      for (const alert of body.alerts) {
        received.push({
          id: String(req.headers['x-vigil-notification-id']),
          status: alert.status,
          n: alert.labels['n'] ?? '',
        });
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    server,
  };
}

// Three instances (engine + notifier) on one real Redis, in a storm of 30 alerts that fire and
// resolve over ~21 s. The leader is SIGKILLed in the middle of it. Counted at the receiving
// server: every alert's firing and its resolution arrive, each under one notification id; a copy
// the new leader sent again carries the same id (and is reported).
describe('notifications: three instances on real Redis, the leader SIGKILLed mid-storm', () => {
  it('notify every transition once per receiver (by notification id)', async () => {
    const hook = await receiver();
    const namespace = `vigil_notify_${process.pid}_${Date.now()}`;
    const start = Date.now() + 2_000;
    const instances: Instance[] = ['a', 'b', 'c'].map((name) => {
      const child = spawn(
        process.execPath,
        [CHILD, inject('redisUrl'), namespace, name, hook.url, String(start)],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const instance: Instance = { name, process: child, leader: false };
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        if (line === `leader ${name}`) instance.leader = true;
        if (line === `follower ${name}`) instance.leader = false;
      });
      return instance;
    });
    try {
      await until(() => instances.some((i) => i.leader), 15_000, 'a leader');
      // Mid-storm: some alerts notified, most still to come.
      await until(() => hook.received.length >= 8, 20_000, 'the storm');
      const leader = instances.find((i) => i.leader) as Instance;
      leader.process.kill('SIGKILL');
      await exited(leader.process);
      const receivedAtKill = hook.received.length;
      const survivors = instances.filter((i) => i !== leader);
      await until(() => survivors.some((i) => i.leader), 15_000, 'a new leader');
      const resolvedAll = () =>
        new Set(hook.received.filter((r) => r.status === 'resolved').map((r) => r.n)).size ===
        ALERTS;
      await until(resolvedAll, 40_000, 'every alert to resolve');
      await wait(2_000); // anything sent late would arrive now

      const unique = new Map<string, Received>();
      for (const r of hook.received) unique.set(`${r.id}|${r.n}|${r.status}`, r);
      const transitions = [...unique.values()].map((r) => `${r.n} ${r.status}`).sort();
      const expected = Array.from({ length: ALERTS }, (_, n) => [`${n} firing`, `${n} resolved`])
        .flat()
        .sort();
      // Once per receiver: one notification id per transition, none missing.
      expect(transitions).toEqual(expected);
      const copies = hook.received.length - unique.size;
      console.log(
        `notify cluster: ${hook.received.length} webhooks for ${ALERTS * 2} transitions, ${copies} copies sent again under the same id; ${leader.name} SIGKILLed after ${receivedAtKill}; new leader ${survivors.find((i) => i.leader)?.name}`,
      );
      expect(copies).toBeLessThanOrEqual(3);
      for (const survivor of survivors) survivor.process.kill('SIGTERM');
      await Promise.all(survivors.map((s) => exited(s.process)));
    } finally {
      for (const instance of instances) instance.process.kill('SIGKILL');
      await new Promise<void>((resolve) => hook.server.close(() => resolve()));
    }
  }, 120_000);
});
