import { checkOptionsObject, invalidOption } from '@vigil/core/options';
import type { Channel, Notification } from '../notification.js';

/** Options of `consoleChannel()`. */
export interface ConsoleChannelOptions {
  /** Where the line goes. Default `console.log`. */
  log?: ((line: string) => void) | undefined;
}

/** One line per notification: `[FIRING:2] team HighErrorRate: summary; summary`. */
export function formatNotification(notification: Notification): string {
  const firing = notification.alerts.filter((a) => a.status === 'firing').length;
  const status = notification.status === 'firing' ? `FIRING:${firing}` : 'RESOLVED';
  const kind =
    notification.kind === undefined || notification.kind === 'group'
      ? ''
      : ` (${notification.kind})`;
  const names = [...new Set(notification.alerts.map((a) => a.labels['alertname'] ?? ''))].join(
    ', ',
  );
  const summaries = notification.alerts
    .map((a) => a.annotations['summary'] ?? a.annotations['description'])
    .filter((text): text is string => text !== undefined && text !== '');
  return `[${status}]${kind} ${notification.receiver} ${names}${summaries.length > 0 ? `: ${summaries.join('; ')}` : ''}`;
}

/** A channel that writes each notification as one line: for development, and for logs. */
export function consoleChannel(options: ConsoleChannelOptions = {}): Channel {
  const given = checkOptionsObject('consoleChannel', options, ['log']);
  const log = given['log'] ?? ((line: string) => console.log(line));
  if (typeof log !== 'function') throw invalidOption('consoleChannel', 'log should be a function');
  return {
    type: 'console',
    async send(notification) {
      (log as (line: string) => void)(formatNotification(notification));
    },
  };
}
