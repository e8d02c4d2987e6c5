import type { Labels } from '../promql/labels.js';

/**
 * One alert in a notification, as Alertmanager's webhook (version 4) carries it: times as ISO
 * strings, `endsAt` Go's zero time (`0001-01-01T00:00:00Z`) while firing.
 */
export interface NotifiedAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: string;
  readonly endsAt: string;
  /** A link to where the alert comes from (the rule's page, a dashboard); may be `''`. */
  readonly generatorURL: string;
  /** A stable hash of the labels, hex. */
  readonly fingerprint: string;
}

/**
 * One notification: a group of alerts for one receiver, with the fields of Alertmanager's
 * webhook (version 4), so that a channel can send it as is or render it.
 */
export interface Notification {
  /**
   * Identifies the notification: the same content for the same receiver gets the same id, so a
   * copy sent again (by a new leader after a crash) can be dropped by the receiver. Channels pass
   * it on where they can (`X-Vigil-Notification-Id`, the mail's `Message-ID`).
   */
  readonly id?: string | undefined;
  /** The receiver's name (from the routing tree). */
  readonly receiver: string;
  /** `firing` while any alert of the group fires; `resolved` when all have resolved. */
  readonly status: 'firing' | 'resolved';
  readonly alerts: readonly NotifiedAlert[];
  /** The labels the group is grouped by, with their values. */
  readonly groupLabels: Labels;
  /** The labels every alert of the notification has, with the same value. */
  readonly commonLabels: Labels;
  readonly commonAnnotations: Labels;
  /** The service's base URL, for links; may be `''`. */
  readonly externalURL: string;
  /** Identifies the group (the route and the group labels). */
  readonly groupKey: string;
  /** Alerts left out of `alerts` by a cap; 0 without one. */
  readonly truncatedAlerts: number;
  /**
   * What kind of notification: a group's (`'group'`), a storm limit's digest of several
   * (`'digest'`), an escalation of an unacknowledged alert (`'escalation'`), or `testFire`'s
   * (`'test'`). Absent: `'group'`.
   */
  readonly kind?: 'group' | 'digest' | 'escalation' | 'test' | undefined;
  /** A digest: how many notifications it stands for. */
  readonly digestOf?: number | undefined;
}

/** How a channel is asked to send. */
export interface SendOptions {
  /** Aborted when the delivery's time is up, or the notifier closes: stop and throw. */
  readonly signal: AbortSignal;
}

/**
 * Where notifications go: Slack, a webhook, email, the console. The notifier retries a failed
 * delivery (from an outbox), so a channel tries once: it resolves when the notification was
 * accepted, or throws a `DeliveryError` that says whether trying again may help. A channel never
 * logs or throws a secret (a webhook URL's token, a password).
 */
export interface Channel {
  /** What kind of channel: `'slack'`, `'webhook'`, `'email'`, `'console'`. Never a URL. */
  readonly type: string;
  send(notification: Notification, options: SendOptions): Promise<void>;
  /** Releases what the channel holds (an SMTP connection pool). */
  close?(): Promise<void>;
}
