import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago, for a server a test starts itself (a fixed port may
 * be taken, even as another connection's ephemeral port).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
