import {
  type Clock,
  type DurationInput,
  type OnError,
  type Registry,
  systemClock,
  systemTimers,
  type Timers,
} from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  hasMethods,
  invalidOption,
  optionalClock,
  optionalDuration,
  optionalInteger,
  optionalOnError,
  optionalRegistry,
  optionalString,
  optionalTimers,
} from '@vigil/core/options';
import { Inhibitor, type InhibitRuleConfig } from './inhibitor.js';
import type { Channel } from './notification.js';
import { type Route, type RouteConfig, resolveRoute } from './route.js';
import {
  compileTimeIntervals,
  type TimeInterval,
  type TimeIntervalConfig,
} from './time-intervals.js';

/** A receiver: its channels, and whether they are told when alerts resolve. */
export interface ReceiverConfig {
  channels: readonly Channel[];
  /** Send resolved notifications (Alertmanager's `send_resolved`). Default true. */
  sendResolved?: boolean | undefined;
}

/** Options of `new Notifier(options)`. */
export interface NotifierOptions {
  /** The routing tree: which receiver each alert goes to, grouped how, how often. */
  route: RouteConfig;
  /** Receivers by name: a channel, a list of channels, or `{ channels, sendResolved }`. */
  receivers: Readonly<Record<string, Channel | readonly Channel[] | ReceiverConfig>>;
  inhibitRules?: readonly InhibitRuleConfig[] | undefined;
  /** Named time intervals for routes' `muteTimeIntervals` and `activeTimeIntervals`. */
  timeIntervals?: Readonly<Record<string, readonly TimeIntervalConfig[]>> | undefined;
  /** The service's base URL, in notifications (`externalURL`) for links. */
  externalURL?: string | undefined;
  /** Tries per delivery, the first included. Default 10. */
  maxAttempts?: number | undefined;
  /** The wait before the second try, doubled each time. Default `'1s'`. */
  retryDelay?: DurationInput | undefined;
  /** The longest wait between tries. Default `'5m'`. */
  maxRetryDelay?: DurationInput | undefined;
  /** How long one try may take. Default `'30s'`. */
  deliveryTimeout?: DurationInput | undefined;
  /** Deliveries given up kept for `deadLetters()` and replay. Default 1,000. */
  maxDeadLetters?: number | undefined;
  /** Keep `vigil_notifications_*` metrics here; `false`: none. Default: none. */
  metrics?: Registry | false | undefined;
  clock?: Clock | undefined;
  timers?: Timers | undefined;
  onError?: OnError | undefined;
}

/** @internal The options checked. */
export interface NotifierConfig {
  readonly route: Route;
  readonly receivers: ReadonlyMap<string, { channels: readonly Channel[]; sendResolved: boolean }>;
  readonly inhibitor: Inhibitor;
  readonly timeIntervals: ReadonlyMap<string, TimeInterval>;
  readonly externalURL: string;
  readonly maxAttempts: number;
  readonly retryDelay: number;
  readonly maxRetryDelay: number;
  readonly deliveryTimeout: number;
  readonly maxDeadLetters: number;
  readonly metrics: Registry | undefined;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly onError: OnError | undefined;
}

const OWNER = 'Notifier';
const KEYS = [
  'route',
  'receivers',
  'inhibitRules',
  'timeIntervals',
  'externalURL',
  'maxAttempts',
  'retryDelay',
  'maxRetryDelay',
  'deliveryTimeout',
  'maxDeadLetters',
  'metrics',
  'clock',
  'timers',
  'onError',
] as const satisfies readonly (keyof NotifierOptions)[];

function isChannel(value: unknown): value is Channel {
  return hasMethods(value, ['send']) && typeof (value as Channel).type === 'string';
}

function receiver(
  name: string,
  value: unknown,
): { channels: readonly Channel[]; sendResolved: boolean } {
  const owner = `receiver ${name}`;
  if (isChannel(value)) return { channels: [value], sendResolved: true };
  if (Array.isArray(value)) {
    if (!value.every(isChannel))
      throw invalidOption(
        owner,
        'every entry should be a channel (slackChannel(), webhookChannel(), …)',
      );
    return { channels: value, sendResolved: true };
  }
  const given = checkOptionsObject(owner, value, ['channels', 'sendResolved'], { required: true });
  const channels = given['channels'];
  if (!Array.isArray(channels) || !channels.every(isChannel)) {
    throw invalidOption(
      owner,
      `channels should be a list of channels, got ${describeValue(channels)}`,
    );
  }
  return { channels, sendResolved: given['sendResolved'] !== false };
}

/** @internal Checks the options once, at construction. */
export function notifierConfig(options: NotifierOptions): NotifierConfig {
  const given = checkOptionsObject(OWNER, options, KEYS, { required: true });
  const receiversGiven = given['receivers'];
  if (
    typeof receiversGiven !== 'object' ||
    receiversGiven === null ||
    Array.isArray(receiversGiven)
  ) {
    throw invalidOption(OWNER, 'receivers should be a map of name → channel(s)');
  }
  const receivers = new Map(
    Object.entries(receiversGiven).map(([name, value]) => [name, receiver(name, value)] as const),
  );
  const timeIntervals = compileTimeIntervals(
    given['timeIntervals'] as NotifierOptions['timeIntervals'],
  );
  const metrics = given['metrics'];
  return {
    route: resolveRoute(given['route'] as RouteConfig, {
      receivers: new Set(receivers.keys()),
      timeIntervals: new Set(timeIntervals.keys()),
    }),
    receivers,
    inhibitor: new Inhibitor(given['inhibitRules'] as InhibitRuleConfig[] | undefined),
    timeIntervals,
    externalURL: optionalString(OWNER, 'externalURL', given['externalURL']) ?? '',
    maxAttempts: optionalInteger(OWNER, 'maxAttempts', given['maxAttempts'], { min: 1 }) ?? 10,
    retryDelay:
      optionalDuration(OWNER, 'retryDelay', given['retryDelay'], { positive: true }) ?? 1_000,
    maxRetryDelay:
      optionalDuration(OWNER, 'maxRetryDelay', given['maxRetryDelay'], { positive: true }) ??
      300_000,
    deliveryTimeout:
      optionalDuration(OWNER, 'deliveryTimeout', given['deliveryTimeout'], { positive: true }) ??
      30_000,
    maxDeadLetters:
      optionalInteger(OWNER, 'maxDeadLetters', given['maxDeadLetters'], { min: 0 }) ?? 1_000,
    metrics: metrics === false ? undefined : optionalRegistry<Registry>(OWNER, 'metrics', metrics),
    clock: optionalClock(OWNER, 'clock', given['clock']) ?? systemClock,
    timers: optionalTimers(OWNER, 'timers', given['timers']) ?? systemTimers,
    onError: optionalOnError(OWNER, 'onError', given['onError']),
  };
}
