import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One alert of a webhook notification. */
export interface WebhookAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  /** Go's zero time (`0001-01-01T00:00:00Z`) while firing, if Alertmanager has no end. */
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/** What Alertmanager's webhook receiver POSTs: version 4 of its format. */
export interface WebhookNotification {
  readonly version: string;
  readonly groupKey: string;
  readonly truncatedAlerts: number;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly alerts: readonly WebhookAlert[];
}

/** A local endpoint for Alertmanager's `webhook_configs`, keeping every notification. */
export interface WebhookReceiver {
  /** Where Alertmanager posts: `http://127.0.0.1:<port>/hook`. */
  readonly url: string;
  /** The notifications received, oldest first. */
  readonly notifications: readonly WebhookNotification[];
  /** The first notification `match` accepts, once it arrives; rejects after `timeout` ms. */
  waitFor(
    match: (notification: WebhookNotification) => boolean,
    timeout?: number,
  ): Promise<WebhookNotification>;
  close(): Promise<void>;
}

/** Starts a webhook receiver on 127.0.0.1, on a free port. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const notifications: WebhookNotification[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/hook') {
        notifications.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response.writeHead(200).end();
      } else {
        response.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    notifications,
    async waitFor(match, timeout = 10_000) {
      const deadline = Date.now() + timeout;
      for (;;) {
        const found = notifications.find(match);
        if (found !== undefined) return found;
        if (Date.now() > deadline) {
          throw new Error(
            `no matching webhook notification within ${timeout} ms; got ${JSON.stringify(notifications)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
