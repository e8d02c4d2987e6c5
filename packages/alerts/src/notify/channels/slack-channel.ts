import { type Clock, type DurationInput, systemClock } from '@vigil/core';
import {
  checkOptionsObject,
  optionalClock,
  optionalDuration,
  optionalString,
} from '@vigil/core/options';
import type { Labels } from '../../promql/labels.js';
import type { Channel, Notification, NotifiedAlert } from '../notification.js';
import { checkPostUrl, postJson } from './http-post.js';

/** Options of `slackChannel(options)`. */
export interface SlackChannelOptions {
  /**
   * The Slack incoming webhook URL (`https://hooks.slack.com/services/…`). Its path is its
   * secret: errors name the host only. https: only, but http: on 127.0.0.1, ::1 and localhost.
   */
  webhookUrl: string;
  /** Posts to this channel instead of the webhook's own (legacy webhooks only). */
  channel?: string | undefined;
  /** Posts under this name instead of the app's (legacy webhooks only). */
  username?: string | undefined;
  /** How long one attempt may take, answer included. Default `'10s'`. */
  timeout?: DurationInput | undefined;
  /** Wall clock in ms, for a `Retry-After` given as a date. Default core's `systemClock`. */
  clock?: Clock | undefined;
}

const OWNER = 'slackChannel';
const KEYS = [
  'webhookUrl',
  'channel',
  'username',
  'timeout',
  'clock',
] as const satisfies readonly (keyof SlackChannelOptions)[];

/** The attachment's colour bar, by the `severity` label of the most severe firing alert. */
const SEVERITY_COLORS: Readonly<Record<string, string>> = {
  critical: '#d00000',
  error: '#e8590c',
  warning: '#f2c744',
  info: '#2196f3',
};
const RESOLVED_COLOR = '#2eb886';
/** Firing without a known severity: red, as Alertmanager's Slack default (`danger`). */
const UNKNOWN_SEVERITY_COLOR = SEVERITY_COLORS.critical as string;

// Slack's Block Kit limits (a message over one is refused with `invalid_blocks`): header text
// 150 characters, section text 3000, 10 fields of 2000 each, a button's URL 3000, 50 blocks.
const HEADER_MAX = 150;
const SUMMARY_MAX = 500;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const FIELDS_MAX = 10;
const URL_MAX = 3000;
/** Alerts listed, one section each; the rest are counted. Keeps a message far under 50 blocks. */
const LISTED_MAX = 10;

/**
 * A channel that posts each notification to a Slack incoming webhook: a `text` fallback
 * (`[FIRING:2] HighErrorRate api`), a header, and an attachment coloured by severity with one
 * section per alert (summary, description, labels, a "View alert" button to its
 * `generatorURL`). One attempt per `send`: the notifier retries.
 *
 * @throws ConfigurationError `INVALID_OPTION` (or `INVALID_DURATION` for `timeout`).
 */
export function slackChannel(options: SlackChannelOptions): Channel {
  const given = checkOptionsObject(OWNER, options, KEYS, { required: true });
  const url = checkPostUrl(OWNER, 'webhookUrl', given.webhookUrl, { httpsOnly: true });
  const channel = optionalString(OWNER, 'channel', given.channel);
  const username = optionalString(OWNER, 'username', given.username);
  const timeout = optionalDuration(OWNER, 'timeout', given.timeout, { positive: true }) ?? 10_000;
  const clock = optionalClock(OWNER, 'clock', given.clock) ?? systemClock;
  const headers = { 'content-type': 'application/json', 'user-agent': 'vigil-alerts' };
  return {
    type: 'slack',
    async send(notification, { signal }) {
      const body = JSON.stringify({
        ...(channel === undefined ? {} : { channel }),
        ...(username === undefined ? {} : { username }),
        ...slackMessage(notification),
      });
      // Slack answers a refusal with a code as the body (`no_service`, `invalid_payload`).
      await postJson({
        channel: 'slack',
        url,
        body,
        headers,
        timeout,
        signal,
        clock,
        quoteErrorCode: true,
      });
    },
  };
}

/** The message for a notification, without `channel` and `username`. */
function slackMessage(notification: Notification) {
  const title = slackTitle(notification);
  const listed = notification.alerts.slice(0, LISTED_MAX);
  const more = notification.alerts.length - listed.length + notification.truncatedAlerts;
  const blocks: object[] = listed.map((alert) => alertSection(alert, notification.status));
  if (more > 0) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `_and ${more} more alert${more === 1 ? '' : 's'}_` }],
    });
  }
  return {
    // What notifications and screen readers show; the blocks replace it in the channel.
    text: clip(escapeMrkdwn(title), SECTION_MAX),
    blocks: [{ type: 'header', text: { type: 'plain_text', text: clip(title, HEADER_MAX) } }],
    attachments: [{ color: slackColor(notification), blocks }],
  };
}

/** `[FIRING:2] HighErrorRate api`, as Alertmanager's default Slack title. */
function slackTitle(notification: Notification): string {
  const status =
    notification.status === 'firing'
      ? `FIRING:${notification.alerts.filter((alert) => alert.status === 'firing').length}`
      : 'RESOLVED';
  const values = sortedNames(notification.groupLabels).map(
    (name) => notification.groupLabels[name],
  );
  if (values.length === 0 && notification.commonLabels.alertname !== undefined) {
    values.push(notification.commonLabels.alertname);
  }
  return values.length === 0 ? `[${status}]` : `[${status}] ${values.join(' ')}`;
}

/** The colour of the attachment's bar. */
function slackColor(notification: Notification): string {
  if (notification.status === 'resolved') return RESOLVED_COLOR;
  const severities = new Set(
    notification.alerts.filter((a) => a.status === 'firing').map((a) => a.labels.severity),
  );
  for (const [severity, color] of Object.entries(SEVERITY_COLORS)) {
    if (severities.has(severity)) return color;
  }
  return UNKNOWN_SEVERITY_COLOR;
}

function alertSection(alert: NotifiedAlert, groupStatus: Notification['status']): object {
  const { summary, details } = describeAlert(alert);
  // In a firing group, say which of its alerts have resolved.
  const resolved = alert.status === 'resolved' && groupStatus === 'firing' ? ' (resolved)' : '';
  let text = `*${clip(escapeMrkdwn(summary), SUMMARY_MAX)}*${resolved}`;
  if (details !== undefined) {
    text += `\n${clip(escapeMrkdwn(details), SECTION_MAX - text.length - 1)}`;
  }
  const fields = labelFields(alert.labels);
  const link = viewLink(alert.generatorURL);
  return {
    type: 'section',
    text: { type: 'mrkdwn', text },
    ...(fields.length === 0 ? {} : { fields }),
    ...(link === undefined
      ? {}
      : {
          accessory: {
            type: 'button',
            text: { type: 'plain_text', text: 'View alert' },
            url: link,
          },
        }),
  };
}

/**
 * What the alert is about: the `summary` annotation, else `description`, else the alert's
 * name; with the `description` as details when the summary is a separate annotation.
 */
function describeAlert(alert: NotifiedAlert): { summary: string; details?: string } {
  const { summary, description } = alert.annotations;
  if (summary !== undefined && summary !== '') {
    return description === undefined || description === '' || description === summary
      ? { summary }
      : { summary, details: description };
  }
  if (description !== undefined && description !== '') return { summary: description };
  return { summary: alert.labels.alertname ?? 'alert' };
}

/** The labels as `*name*\nvalue` fields, `alertname` first; past 10, the last one counts the rest. */
function labelFields(labels: Labels): object[] {
  const names = sortedNames(labels);
  const shown = names.length > FIELDS_MAX ? names.slice(0, FIELDS_MAX - 1) : names;
  const fields = shown.map((name) => ({
    type: 'mrkdwn',
    text: clip(`*${escapeMrkdwn(name)}*\n${escapeMrkdwn(labels[name] as string)}`, FIELD_MAX),
  }));
  if (shown.length < names.length) {
    fields.push({ type: 'mrkdwn', text: `_and ${names.length - shown.length} more labels_` });
  }
  return fields;
}

/** `alertname` first, then the others by name, as Alertmanager's `SortedPairs`. */
function sortedNames(labels: Labels): string[] {
  const names = Object.keys(labels)
    .filter((name) => name !== 'alertname')
    .sort();
  return 'alertname' in labels ? ['alertname', ...names] : names;
}

/** The alert's link when Slack would take it: http(s), at most 3000 characters. */
function viewLink(generatorURL: string): string | undefined {
  if (generatorURL === '' || generatorURL.length > URL_MAX) return undefined;
  try {
    const { protocol } = new URL(generatorURL);
    return protocol === 'http:' || protocol === 'https:' ? generatorURL : undefined;
  } catch {
    return undefined;
  }
}

/** Slack's mrkdwn escaping: `&`, `<` and `>` would otherwise start an entity or a link. */
function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** At most `max` characters, ending in `…` when cut; never half an entity or a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1).replace(/&[a-z]*$/, '');
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
