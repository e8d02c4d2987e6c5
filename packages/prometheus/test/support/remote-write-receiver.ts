import type { IncomingHttpHeaders } from 'node:http';
import type { Timers } from '@vigil/core';
import type { ManualClock } from '@vigil/core/testing';
import { type LoopbackServer, serveOnLoopback } from '@vigil/test-support';
import { decodeWriteRequest, type WriteRequest } from '../../src/index.js';

/** One request the fake receiver got. */
export interface ReceivedWrite {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: Uint8Array;
  /** The body decoded, or undefined when it was not a remote-write body. */
  readonly request: WriteRequest | undefined;
}

/** An answer the fake receiver gives, or `{ stall: true }`: none, until the server closes. */
export type ScriptedAnswer =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  | { readonly stall: true };

/** A remote-write receiver on loopback that records what it gets and answers from a script. */
export interface FakeReceiver {
  readonly server: LoopbackServer;
  /** `<server>/api/v1/write` */
  readonly url: string;
  readonly received: ReceivedWrite[];
  /** Queues answers, used in order; once they run out, 204. */
  answer(...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

export async function startFakeReceiver(): Promise<FakeReceiver> {
  const received: ReceivedWrite[] = [];
  const script: ScriptedAnswer[] = [];
  const server = await serveOnLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = new Uint8Array(Buffer.concat(chunks));
      let request: WriteRequest | undefined;
      try {
        request = decodeWriteRequest(body);
      } catch {
        request = undefined;
      }
      received.push({ method: req.method, path: req.url, headers: req.headers, body, request });
      const answer = script.shift() ?? { status: 204 };
      if ('stall' in answer) return;
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
  });
  return {
    server,
    url: `${server.url}/api/v1/write`,
    received,
    answer: (...answers) => script.push(...answers),
    close: () => server.close(),
  };
}

/**
 * `clock` as `Timers`, remembering the delay of every timer scheduled, so that a test can wait
 * until a backoff is pending and then move time over it.
 */
export function recordingTimers(clock: ManualClock): Timers & { readonly delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    setTimeout(callback, ms) {
      delays.push(ms);
      return clock.setTimeout(callback, ms);
    },
    clearTimeout: (handle) => clock.clearTimeout(handle),
  };
}
