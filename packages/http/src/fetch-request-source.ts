import type { Reply } from './route-reply.js';
import { type RequestSource, tooLarge } from './route-request.js';

type ResponseBody = ConstructorParameters<typeof Response>[0];

/** @internal A fetch API `Request` (Next.js route handlers, Hono, Bun, Deno). */
export class FetchRequestSource implements RequestSource {
  readonly method: string;
  readonly #request: Request;

  constructor(request: Request) {
    this.#request = request;
    this.method = request.method;
  }

  header(name: string): string | undefined {
    return this.#request.headers.get(name) ?? undefined;
  }

  parsedBody(): { value: unknown } | undefined {
    return this.#request.bodyUsed ? { value: undefined } : undefined;
  }

  async readBody(limit: number): Promise<Uint8Array> {
    const stream = this.#request.body;
    if (stream === null) return new Uint8Array(0);
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        await reader.cancel();
        throw tooLarge(limit);
      }
      chunks.push(value);
    }
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.length;
    }
    return body;
  }
}

/** @internal `reply` as a fetch `Response`; a HEAD request gets the headers only. */
export function toResponse(reply: Reply, head: boolean): Response {
  const body = head || reply.body === undefined ? null : reply.body;
  return new Response(body as ResponseBody, { status: reply.status, headers: reply.headers });
}
