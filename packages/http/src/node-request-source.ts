import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './route-reply.js';
import { type RequestSource, tooLarge } from './route-request.js';

/** @internal A `node:http` request (or Express's, Connect's, Fastify's `request.raw`). */
export class NodeRequestSource implements RequestSource {
  readonly method: string;
  readonly #req: IncomingMessage;

  constructor(req: IncomingMessage) {
    this.#req = req;
    this.method = req.method ?? 'GET';
  }

  header(name: string): string | undefined {
    const value = this.#req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  parsedBody(): { value: unknown } | undefined {
    // A body parser (express.json()) consumed the stream: its result, if any, is `req.body`.
    if (!this.#req.readableEnded) return undefined;
    return { value: (this.#req as IncomingMessage & { body?: unknown }).body };
  }

  readBody(limit: number): Promise<Uint8Array> {
    const req = this.#req;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const cleanup = () => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', onError);
        req.off('close', onClose);
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          cleanup();
          req.resume(); // drain and discard the rest, so the 413 can be sent
          reject(tooLarge(limit));
          return;
        }
        chunks.push(chunk);
      };
      const onEnd = () => {
        cleanup();
        resolve(Buffer.concat(chunks));
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const onClose = () => {
        cleanup();
        reject(new Error('the request was closed before its body was read'));
      };
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onError);
      req.on('close', onClose);
    });
  }
}

/** @internal Writes `reply` to `res`; a HEAD request gets the headers only. */
export function writeNodeReply(res: ServerResponse, reply: Reply, head: boolean): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.statusCode = reply.status;
  for (const name in reply.headers) res.setHeader(name, reply.headers[name] as string);
  const body = reply.body;
  if (body === undefined) {
    res.end();
  } else if (head) {
    res.setHeader(
      'content-length',
      typeof body === 'string' ? Buffer.byteLength(body) : body.length,
    );
    res.end();
  } else {
    res.end(body);
  }
}
