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
import type { DeadLetterStore, RecordStore } from '@vigil/storage';
import { type Cooldowns, type CooldownsConfig, checkCooldowns } from './cooldowns.js';
import { Inhibitor, type InhibitRuleConfig } from './inhibitor.js';
import { compileMatchers, type MatcherInput, type Matchers } from './matchers.js';
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

/** What the notifier keeps in a store: a `Store` of `@vigil/storage` fits. */
export interface NotifierStoreOptions {
  readonly records: RecordStore;
  /** Where dead letters go; default: kept in memory. */
  readonly deadLetters?: DeadLetterStore | undefined;
}

/** One escalation policy. */
export interface EscalationConfig {
  /** The alerts it applies to; default: every alert. */
  matchers?: readonly MatcherInput[] | undefined;
  steps: readonly {
    readonly after: DurationInput;
    readonly receiver?: string | undefined;
    readonly severity?: string | undefined;
  }[];
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
  /**
   * How long before a group that did not change is notified again, by the severity of its most
   * severe alert: `[first, longest]`, doubling from one to the other. Default critical 5–15 min,
   * error 15–30 min, warning 30–60 min; groups without one of those use the route's
   * `repeatInterval`. `false`: the routes' `repeatInterval` only.
   */
  cooldowns?: CooldownsConfig | false | undefined;
  /**
   * At most `max` notifications per receiver in `window`; past that, one digest when the window
   * allows. Default: no limit.
   */
  stormLimit?: { readonly max: number; readonly window: DurationInput } | undefined;
  /**
   * Escalations: a firing alert matching `matchers` that nobody acknowledged goes, `after` each
   * step's delay since it fired, to the step's `receiver` (default: its route's) and/or with a
   * higher `severity`.
   */
  escalations?: readonly EscalationConfig[] | undefined;
  /**
   * Where silences, acknowledgements, the notification log and the outbox are kept (its
   * `records`), and dead letters (its `deadLetters`): a `Store` of `@vigil/storage`. Shared by the
   * instances of a fleet; then only the leader's notifier sends. Default: memory, lost on restart.
   */
  store?: NotifierStoreOptions | undefined;
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
  readonly store: NotifierStoreOptions | undefined;
  readonly cooldowns: Cooldowns;
  readonly stormLimit: { readonly max: number; readonly window: number } | undefined;
  readonly escalations: readonly {
    readonly matches: Matchers;
    readonly steps: readonly {
      after: number;
      receiver: string | undefined;
      severity: string | undefined;
    }[];
  }[];
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
  'store',
  'cooldowns',
  'stormLimit',
  'escalations',
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
    store: checkStore(given['store']),
    cooldowns: checkCooldowns(given['cooldowns'] as CooldownsConfig | false | undefined),
    stormLimit: checkStormLimit(given['stormLimit']),
    escalations: checkEscalations(given['escalations'], receivers),
    metrics: metrics === false ? undefined : optionalRegistry<Registry>(OWNER, 'metrics', metrics),
    clock: optionalClock(OWNER, 'clock', given['clock']) ?? systemClock,
    timers: optionalTimers(OWNER, 'timers', given['timers']) ?? systemTimers,
    onError: optionalOnError(OWNER, 'onError', given['onError']),
  };
}

function checkStormLimit(value: unknown): NotifierConfig['stormLimit'] {
  if (value === undefined) return undefined;
  const owner = 'Notifier stormLimit';
  const given = checkOptionsObject(owner, value, ['max', 'window'], { required: true });
  const max = optionalInteger(owner, 'max', given['max'], { min: 1 });
  const window = optionalDuration(owner, 'window', given['window'], { positive: true });
  if (max === undefined || window === undefined) throw invalidOption(owner, 'needs max and window');
  return { max, window };
}

function checkEscalations(
  value: unknown,
  receivers: ReadonlyMap<string, unknown>,
): NotifierConfig['escalations'] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw invalidOption(OWNER, 'escalations should be a list of { matchers, steps }');
  return value.map((policy: unknown, i) => {
    const owner = `Notifier escalations[${i}]`;
    const given = checkOptionsObject(owner, policy, ['matchers', 'steps'], { required: true });
    const steps = given['steps'];
    if (!Array.isArray(steps) || steps.length === 0)
      throw invalidOption(owner, 'steps should be a non-empty list');
    let last = 0;
    return {
      matches: compileMatchers(owner, given['matchers'] as MatcherInput[] | undefined).test,
      steps: steps.map((step: unknown, j) => {
        const stepOwner = `${owner}.steps[${j}]`;
        const s = checkOptionsObject(stepOwner, step, ['after', 'receiver', 'severity'], {
          required: true,
        });
        const after = optionalDuration(stepOwner, 'after', s['after'], { positive: true });
        if (after === undefined || after <= last) {
          throw invalidOption(stepOwner, 'after is required, and later than the step before');
        }
        last = after;
        const receiver = optionalString(stepOwner, 'receiver', s['receiver']);
        if (receiver !== undefined && !receivers.has(receiver)) {
          throw invalidOption(stepOwner, `no receiver named ${JSON.stringify(receiver)}`);
        }
        return { after, receiver, severity: optionalString(stepOwner, 'severity', s['severity']) };
      }),
    };
  });
}

function checkStore(value: unknown): NotifierStoreOptions | undefined {
  if (value === undefined) return undefined;
  const candidate = value as Partial<NotifierStoreOptions> | null;
  if (
    !hasMethods(candidate?.records, ['get', 'set', 'delete', 'list']) ||
    (candidate?.deadLetters !== undefined &&
      !hasMethods(candidate.deadLetters, ['add', 'get', 'list', 'remove']))
  ) {
    throw invalidOption(
      OWNER,
      `store should be a Store from @vigil/storage (with records), got ${describeValue(value)}`,
    );
  }
  return value as NotifierStoreOptions;
}
