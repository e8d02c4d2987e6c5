import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** An Express app listening on 127.0.0.1, on a port the OS picked. */
export interface Served {
  readonly url: string;
  readonly server: Server;
}

const open: Server[] = [];

/** Starts `app` on 127.0.0.1 port 0; `closeAll()` (in `afterEach`) stops it. */
export async function serve(app: Express): Promise<Served> {
  const server = await new Promise<Server>((resolve, reject) => {
    const started = app.listen(0, '127.0.0.1', (error?: Error) =>
      error === undefined ? resolve(started) : reject(error),
    );
  });
  open.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

/** Closes every server `serve()` started. */
export async function closeAll(): Promise<void> {
  await Promise.all(
    open.splice(0).map(
      (server) =>
        new Promise<void>((resolve, reject) => {
          server.closeAllConnections();
          server.close((error) => (error === undefined ? resolve() : reject(error)));
        }),
    ),
  );
}
