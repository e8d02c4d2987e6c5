import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server listening on 127.0.0.1, on a port of its own. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Closes it, its open connections too. */
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1 on a free port: the receiving end of a test (a webhook, a router). */
export async function serveOnLoopback(handler: RequestListener): Promise<LoopbackServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
