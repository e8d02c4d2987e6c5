import { createHash } from 'node:crypto';
import type { Labels } from '../../promql/labels.js';
import type { Notification, NotifiedAlert } from '../notification.js';

/** A notification as one mail: a group of alerts, listed in both bodies. */
export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /**
   * The first 32 hex digits of the SHA-256 of the notification's `groupKey`: the same for every
   * mail of a group, short enough for a header line.
   */
  readonly groupId: string;
}

/**
 * @internal Renders a notification the way Alertmanager's default email does: the subject
 * `[Vigil] [FIRING:2] HighErrorRate (api critical)` (the status, the number firing, the group
 * labels' values, then the values of the other labels all alerts share), and bodies listing the
 * firing alerts, then the resolved ones. The HTML body escapes every value.
 */
export function renderEmail(notification: Notification, subjectPrefix: string): RenderedEmail {
  const firing = notification.alerts.filter((alert) => alert.status === 'firing');
  const resolved = notification.alerts.filter((alert) => alert.status === 'resolved');
  const title = emailTitle(notification, firing.length);
  const sections = [
    { heading: `Firing (${firing.length})`, alerts: firing },
    { heading: `Resolved (${resolved.length})`, alerts: resolved },
  ].filter((section) => section.alerts.length > 0);
  const left = notification.truncatedAlerts;
  const footer = [
    ...(left > 0 ? [`${left} more alert${left === 1 ? '' : 's'} left out of this mail.`] : []),
    `Receiver: ${notification.receiver}`,
    ...(notification.externalURL === '' ? [] : [notification.externalURL]),
  ];

  const text = [
    title,
    ...sections.map((s) => `${s.heading}\n\n${s.alerts.map(alertText).join('\n\n')}`),
    footer.join('\n'),
  ].join('\n\n');
  const html = [
    '<!DOCTYPE html>',
    '<html><body style="font-family: sans-serif">',
    `<h2>${escapeHtml(title)}</h2>`,
    ...sections.map((s) => `<h3>${escapeHtml(s.heading)}</h3>\n${alertsTable(s.alerts)}`),
    ...footer.map((line) => `<p>${linkOrText(line)}</p>`),
    '</body></html>',
  ].join('\n');

  return {
    subject: oneLine(subjectPrefix === '' ? title : `${subjectPrefix} ${title}`),
    text: `${text}\n`,
    html: `${html}\n`,
    groupId: createHash('sha256').update(notification.groupKey).digest('hex').slice(0, 32),
  };
}

/** `[FIRING:2] HighErrorRate (api critical)`, Alertmanager's default subject. */
function emailTitle(notification: Notification, firing: number): string {
  const status = notification.status === 'firing' ? `[FIRING:${firing}]` : '[RESOLVED]';
  const grouped = sortedNames(notification.groupLabels);
  const others = sortedNames(notification.commonLabels).filter((name) => !grouped.includes(name));
  const parts = [status, grouped.map((name) => notification.groupLabels[name]).join(' ')];
  if (others.length > 0) {
    parts.push(`(${others.map((name) => notification.commonLabels[name]).join(' ')})`);
  }
  return parts.filter((part) => part !== '').join(' ');
}

function alertText(alert: NotifiedAlert): string {
  const lines = [`* ${alertHeading(alert)}`];
  for (const name of annotationNames(alert)) {
    lines.push(`  ${annotationLabel(name)}: ${indent(alert.annotations[name] as string)}`);
  }
  lines.push(`  Labels: ${labelPairs(alert.labels).join(', ')}`);
  lines.push(`  Started: ${alert.startsAt}`);
  if (alert.status === 'resolved') lines.push(`  Ended: ${alert.endsAt}`);
  if (alert.generatorURL !== '') lines.push(`  Source: ${alert.generatorURL}`);
  return lines.join('\n');
}

function alertsTable(alerts: readonly NotifiedAlert[]): string {
  const resolved = alerts[0]?.status === 'resolved';
  const columns = ['Alert', 'Labels', 'Started', ...(resolved ? ['Ended'] : []), 'Source'];
  const rows = alerts.map((alert) => {
    const described = annotationNames(alert).map(
      (name) =>
        `${escapeHtml(annotationLabel(name))}: ${multiline(alert.annotations[name] as string)}`,
    );
    const cells = [
      [`<strong>${escapeHtml(alertHeading(alert))}</strong>`, ...described].join('<br>'),
      labelPairs(alert.labels).map(escapeHtml).join('<br>'),
      escapeHtml(alert.startsAt),
      ...(resolved ? [escapeHtml(alert.endsAt)] : []),
      linkOrText(alert.generatorURL),
    ];
    return `<tr>${cells.map((cell) => `<td valign="top">${cell}</td>`).join('')}</tr>`;
  });
  return [
    '<table border="1" cellpadding="6" cellspacing="0" style="border-collapse: collapse">',
    `<tr>${columns.map((column) => `<th align="left">${column}</th>`).join('')}</tr>`,
    ...rows,
    '</table>',
  ].join('\n');
}

/** What names the alert: its summary, else its alert name. */
function alertHeading(alert: NotifiedAlert): string {
  return alert.annotations.summary ?? alert.labels.alertname ?? alert.fingerprint;
}

/** The annotations shown below the heading: `description` first, then the others by name. */
function annotationNames(alert: NotifiedAlert): string[] {
  const names = Object.keys(alert.annotations).filter((name) => name !== 'summary');
  return names.sort((a, b) => (a === 'description' ? -1 : b === 'description' ? 1 : compare(a, b)));
}

/** `alertname` first, the others by name, as Alertmanager's `SortedPairs`. */
function sortedNames(labels: Labels): string[] {
  return Object.keys(labels).sort((a, b) =>
    a === 'alertname' ? -1 : b === 'alertname' ? 1 : compare(a, b),
  );
}

function labelPairs(labels: Labels): string[] {
  return sortedNames(labels).map((name) => `${name}=${labels[name]}`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `Description`, like the other headings; any other annotation by its own name. */
function annotationLabel(name: string): string {
  return name === 'description' ? 'Description' : name;
}

/** A multi-line annotation, its later lines indented under the first. */
function indent(value: string): string {
  return value.replace(/\r?\n/g, '\n    ');
}

function multiline(value: string): string {
  return escapeHtml(value).replace(/\r?\n/g, '<br>');
}

/** A link for an http(s) URL (never a `javascript:` one), otherwise the escaped text. */
function linkOrText(value: string): string {
  const escaped = escapeHtml(value);
  return /^https?:\/\//i.test(value) ? `<a href="${escaped}">${escaped}</a>` : escaped;
}

/** A subject on one line: label values may hold line breaks, which would end the header. */
function oneLine(value: string): string {
  return value.replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Label values and annotations come from the monitored service: never markup. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] as string);
}
