import type { AlertsRoute, AlertsRouteReply } from '../engine/alerts-routes.js';
import { iso, route } from '../engine/route-reply.js';
import type { Labels } from '../promql/labels.js';
import { fingerprint } from './fingerprint.js';
import type { Notifier } from './notifier.js';
import type { SilenceInput } from './silences.js';

/** What the notification routes read and change. */
export type NotifierRoutesSource = Pick<
  Notifier,
  | 'muting'
  | 'acknowledge'
  | 'unacknowledge'
  | 'acknowledgement'
  | 'resolve'
  | 'testFire'
  | 'createSilence'
  | 'updateSilence'
  | 'expireSilence'
  | 'silences'
>;

/** @internal What `GET /alerts` adds about an alert when a notifier is given. */
export function notificationState(notifier: NotifierRoutesSource, labels: Labels) {
  const id = fingerprint(labels);
  const ack = notifier.acknowledgement(id);
  const muting = notifier.muting(labels);
  return {
    id,
    acknowledged: ack === undefined ? null : { by: ack.by, at: iso(ack.at), comment: ack.comment },
    silencedBy: muting.silencedBy,
    inhibitedBy: muting.inhibitedBy ?? null,
  };
}

function unknownAlert(id: string): AlertsRouteReply {
  return {
    status: 404,
    body: { code: 'HTTP_NOT_FOUND', message: `no firing alert ${JSON.stringify(id)}` },
  };
}

function who(body: unknown): { by: string; comment: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { by, comment } = body as { by?: unknown; comment?: unknown };
  if (typeof by !== 'string' || by === '') return undefined;
  return { by, comment: typeof comment === 'string' ? comment : '' };
}

const NEEDS_WHO: AlertsRouteReply = {
  status: 400,
  body: { code: 'INVALID_OPTION', message: 'the body should be { "by": "who", "comment": "why" }' },
};

/**
 * @internal The notification routes: acknowledge, unacknowledge and resolve an alert (by its
 * `id`, the fingerprint `GET /alerts` shows), a test notification, and silences.
 */
export function notifierRoutes(notifier: NotifierRoutesSource): AlertsRoute[] {
  return [
    route('POST', '/alerts/:id/ack', async (request) => {
      const id = request.params['id'] as string;
      const body = who(await request.json());
      if (body === undefined) return NEEDS_WHO;
      if (!notifier.acknowledge(id, body.by, body.comment)) return unknownAlert(id);
      return { body: { acknowledged: true } };
    }),
    route('POST', '/alerts/:id/unack', async (request) => {
      const id = request.params['id'] as string;
      if (!notifier.unacknowledge(id)) return unknownAlert(id);
      return { body: { acknowledged: false } };
    }),
    route('POST', '/alerts/:id/resolve', async (request) => {
      const id = request.params['id'] as string;
      const body = who(await request.json());
      if (body === undefined) return NEEDS_WHO;
      if (!notifier.resolve(id, body.by, body.comment)) return unknownAlert(id);
      return { body: { resolved: true } };
    }),
    route('POST', '/alerts/test', async (request) => {
      const body = (await request.json()) as { rule?: unknown; labels?: unknown } | undefined;
      const target =
        typeof body?.rule === 'string'
          ? body.rule
          : typeof body?.labels === 'object' && body.labels !== null
            ? (body.labels as Labels)
            : undefined;
      if (target === undefined) {
        return {
          status: 400,
          body: {
            code: 'INVALID_OPTION',
            message: 'the body should be { "rule": "Name" } or { "labels": { … } }',
          },
        };
      }
      return { body: { receivers: notifier.testFire(target) } };
    }),
    route('GET', '/silences', async () => ({
      body: {
        silences: notifier.silences().map((silence) => ({
          ...silence,
          startsAt: iso(silence.startsAt),
          endsAt: iso(silence.endsAt),
          updatedAt: iso(silence.updatedAt),
        })),
      },
    })),
    route('POST', '/silences', async (request) => {
      const body = (await request.json()) as (SilenceInput & { id?: unknown }) | undefined;
      if (typeof body?.id === 'string') {
        const { id, ...input } = body;
        const updated = notifier.updateSilence(id, input);
        if (updated === undefined) {
          return {
            status: 404,
            body: { code: 'HTTP_NOT_FOUND', message: `no silence ${JSON.stringify(id)} to update` },
          };
        }
        return { body: { id: updated.id } };
      }
      const created = notifier.createSilence(body as SilenceInput);
      return { status: 201, body: { id: created.id } };
    }),
    route('DELETE', '/silences/:id', async (request) => {
      const id = request.params['id'] as string;
      if (!notifier.expireSilence(id)) {
        return {
          status: 404,
          body: { code: 'HTTP_NOT_FOUND', message: `no active silence ${JSON.stringify(id)}` },
        };
      }
      return { body: { expired: true } };
    }),
  ];
}
