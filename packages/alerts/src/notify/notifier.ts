import { createHash } from 'node:crypto';
import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  type Counter,
  type Gauge,
  type Histogram,
  type TimerHandle,
} from '@vigil/core';
import type { DeadLetter as StoredDeadLetter } from '@vigil/storage';
import { EventEmitter } from 'eventemitter3';
import type { AlertEngine } from '../engine/alert-engine.js';
import { formatLabels, type Labels, labelsKey } from '../promql/labels.js';
import type { Alert } from '../rules/alerting-rule.js';
import { repeatWait } from './cooldowns.js';
import { type Delivery, DeliveryQueue } from './delivery-queue.js';
import { fingerprint } from './fingerprint.js';
import type { Notification, NotifiedAlert } from './notification.js';
import { type LogEntry, needsUpdate } from './notification-log.js';
import { type NotifierConfig, type NotifierOptions, notifierConfig } from './notifier-options.js';
import { NotifierStore, type OutboxRecord } from './notifier-store.js';
import { matchRoutes, type Route } from './route.js';
import { type Silence, type SilenceInput, Silences } from './silences.js';
import { StormLimiter } from './storm-limiter.js';

/** The dead-letter queue's name in the store's `DeadLetterStore`. */
const DEAD_LETTER_QUEUE = 'vigil-notify';

/** A short stable id of a text: the first 32 hex digits of its SHA-256. */
function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

function outboxRecord({ lastError: _lastError, ...record }: Delivery): OutboxRecord {
  return record;
}

function fromStored(stored: StoredDeadLetter): DeadLetter {
  const payload = stored.payload as { receiver: string; notification: Notification };
  return {
    id: stored.id,
    receiver: payload.receiver,
    channel: String(stored.metadata?.['channelType'] ?? ''),
    notification: payload.notification,
    attempts: stored.attempts,
    error: stored.error.message,
    failedAt: stored.failedAt,
  };
}

/** Go's zero time, which Alertmanager's webhook sends as `endsAt` of a firing alert. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** A delivery given up: the receiver, the notification and why. */
export interface DeadLetter {
  readonly id: string;
  readonly receiver: string;
  /** The channel's type. */
  readonly channel: string;
  readonly notification: Notification;
  readonly attempts: number;
  readonly error: string;
  readonly failedAt: number;
}

/** Events of a `Notifier`. A listener that throws is reported, never breaks the pipeline. */
export interface NotifierEvents {
  /** A group's notification was queued for its receiver's channels. */
  notification: [event: { readonly receiver: string; readonly notification: Notification }];
  delivered: [
    event: {
      readonly receiver: string;
      readonly channel: string;
      readonly notification: Notification;
      readonly attempts: number;
    },
  ];
  failed: [
    event: {
      readonly receiver: string;
      readonly channel: string;
      readonly error: unknown;
      readonly willRetry: boolean;
    },
  ];
  'dead-letter': [letter: DeadLetter];
}

/** Who acknowledged (or resolved) an alert, when, and why. */
export interface Acknowledgement {
  readonly by: string;
  readonly at: number;
  readonly comment: string;
}

/** Why an alert is not notified now. */
export interface AlertMuting {
  /** Ids of the active silences muting it. */
  readonly silencedBy: readonly string[];
  /** The fingerprint of a firing alert inhibiting it. */
  readonly inhibitedBy: string | undefined;
}

interface TrackedAlert {
  readonly fingerprint: string;
  readonly labels: Labels;
  annotations: Labels;
  startsAt: number;
  /** undefined while firing. */
  endsAt: number | undefined;
  /** Bumped on every change, so a flush removes only the resolved alerts it notified. */
  version: number;
  /** How many groups hold it: it is forgotten when none does. */
  groups: number;
  /** Whether a silence mutes it, as of `silenceEpoch`. */
  silenced: boolean;
  silenceEpoch: number;
  /** Whether a firing alert inhibits it, as of the inhibitor's `inhibitVersion`. */
  inhibited: boolean;
  inhibitVersion: number;
}

interface Group {
  /** The key of `#groups`. */
  readonly id: string;
  /** Alertmanager's group key: the route's key and the group labels. */
  readonly key: string;
  readonly route: Route;
  readonly labels: Labels;
  readonly alerts: Map<string, TrackedAlert>;
  timer: TimerHandle | undefined;
  /** An alert joined or changed since the last flush. */
  dirty: boolean;
  /** Whether the route was muted (a time interval) at the last flush. */
  muted: boolean;
  /** The silence epoch and inhibitor version of the last flush's answers. */
  silenceEpoch: number;
  inhibitVersion: number;
  /** When the group's next repeat is due (ms). */
  nextRepeatAt: number;
}

/** The group an alert joins on `route`: by the values of `groupBy` in order (no sorting, no object). */
function groupId(route: Route, labels: Labels): string {
  if (route.groupBy === undefined) return `${route.key}\u0000${labelsKey(labels)}`;
  let id = route.key;
  for (const name of route.groupBy) id += `\u0000${labels[name] ?? ''}`;
  return id;
}

function groupLabels(route: Route, labels: Labels): Labels {
  if (route.groupBy === undefined) return labels;
  const out: Record<string, string> = {};
  for (const name of route.groupBy) {
    const value = labels[name];
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}

function common(maps: readonly Labels[]): Labels {
  const [first, ...rest] = maps;
  if (first === undefined) return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(first)) {
    if (rest.every((map) => map[name] === value)) out[name] = value;
  }
  return out;
}

/**
 * Alertmanager's job, in-process: alerts from an `AlertEngine` go through inhibition and
 * silences, a routing tree, grouping (`groupWait`, `groupInterval`, `repeatInterval`) and a
 * notification log that sends a group only when it changed or the repeat interval passed, to
 * their receiver's channels. Each channel has its own queue: a failed delivery is retried with
 * backoff, then dead-lettered (and can be replayed); a slow channel holds up no other.
 *
 * ```ts
 * const notifier = new Notifier({
 *   route: { receiver: 'team', groupBy: ['alertname'], routes: [
 *     { matchers: ['severity="critical"'], receiver: 'pager' },
 *   ] },
 *   receivers: { team: slackChannel({ webhookUrl }), pager: webhookChannel({ url, secret }) },
 * });
 * notifier.watch(engine);
 * ```
 */
export class Notifier extends EventEmitter<NotifierEvents> {
  readonly #config: NotifierConfig;
  readonly #report: BackgroundErrorReporter;
  readonly #silences: Silences;
  readonly #alerts = new Map<string, TrackedAlert>();
  readonly #groups = new Map<string, Group>();
  /** The routes of an alert, by fingerprint: its labels never change. */
  readonly #routesOf = new Map<string, Route[]>();
  readonly #log = new Map<string, LogEntry>();
  readonly #queues = new Map<string, DeliveryQueue[]>();
  readonly #deadLetters: DeadLetter[] = [];
  /** Acknowledgements of firing alerts, by fingerprint (dropped when the alert goes). */
  readonly #acks = new Map<string, Acknowledgement>();
  /** Alerts resolved by hand, kept resolved until the engine resolves them too. */
  readonly #resolvedByHand = new Map<string, Acknowledgement>();
  /** Escalation steps done, by fingerprint. */
  readonly #escalated = new Map<string, number>();
  readonly #storms = new Map<string, StormLimiter<Notification>>();
  readonly #digestTimers = new Map<string, TimerHandle>();
  /** Which source (a watched engine, or `ingest`'s caller) reported each alert last. */
  readonly #sources = new Map<string, number>();
  #nextSource = 0;
  /** Engines watched: `testFire(ruleName)` reads their rules' labels. */
  readonly #engines: {
    rules(): readonly { name: string; labels: Readonly<Record<string, string>> }[];
  }[] = [];
  readonly #metrics:
    | {
        readonly notifications: Counter<'receiver' | 'channel' | 'outcome'>;
        readonly latency: Histogram<'receiver' | 'channel'>;
      }
    | undefined;
  #closed = false;
  readonly #store: NotifierStore | undefined;
  /** Whether this notifier sends: always without a store; with one, while its engine leads. */
  #active = true;
  /** The silences as last read from the store. */
  #storedSilences = '';
  /** Whether an alert started or stopped firing since the inhibitor last indexed the sources. */
  #firingChanged = false;
  /** Silence answers are reused within one epoch: the silences unchanged, none starting or ending. */
  #silenceEpoch = 0;
  #silenceVersion = -1;
  #silenceUntil = Number.NEGATIVE_INFINITY;
  /** Reports of the watched engines and changes of leader, taken in one at a time, in order. */
  #turn: Promise<void> = Promise.resolve();
  /** The shared state loaded, once this notifier sends (with a store). */
  #loaded: Promise<void> | undefined;
  /** Writes to the store, in order. */
  #writes: Promise<void> = Promise.resolve();

  constructor(options: NotifierOptions) {
    super();
    this.#config = notifierConfig(options);
    this.#report = backgroundErrorReporter('Notifier', this.#config.onError);
    this.#silences = new Silences(this.#config.clock);
    const store = this.#config.store;
    this.#store =
      store === undefined ? undefined : new NotifierStore(store.records, store.deadLetters);
    const { clock, timers, deliveryTimeout, maxAttempts, retryDelay, maxRetryDelay } = this.#config;
    for (const [name, { channels }] of this.#config.receivers) {
      this.#queues.set(
        name,
        channels.map(
          (channel) =>
            new DeliveryQueue({
              channel,
              policy: {
                maxAttempts,
                initialDelay: retryDelay,
                maxDelay: maxRetryDelay,
                timeout: deliveryTimeout,
              },
              timers,
              now: () => clock.now(),
              report: this.#report,
              events: {
                delivered: (delivery, ms) => {
                  void this.#persist((s) => s.deleteOutbox(delivery.id)).catch(() => undefined);
                  this.#metrics?.notifications.inc({
                    receiver: name,
                    channel: channel.type,
                    outcome: 'delivered',
                  });
                  this.#metrics?.latency.observe(
                    { receiver: name, channel: channel.type },
                    ms / 1000,
                  );
                  this.#emit('delivered', {
                    receiver: name,
                    channel: channel.type,
                    notification: delivery.notification,
                    attempts: delivery.attempts,
                  });
                },
                failed: (delivery, error, willRetry) => {
                  this.#metrics?.notifications.inc({
                    receiver: name,
                    channel: channel.type,
                    outcome: willRetry ? 'retried' : 'dead_lettered',
                  });
                  this.#report(error, `${channel.type} channel of receiver ${name}`);
                  this.#emit('failed', { receiver: name, channel: channel.type, error, willRetry });
                  if (willRetry) {
                    void this.#persist((s) => s.writeOutbox(outboxRecord(delivery))).catch(
                      () => undefined,
                    );
                  } else {
                    void this.#deadLetter(delivery, channel.type, error);
                  }
                },
                changed: () => undefined,
              },
            }),
        ),
      );
    }
    const metrics = this.#config.metrics;
    if (metrics !== undefined) {
      this.#metrics = {
        notifications: metrics.counter({
          name: 'vigil_notifications_total',
          help: 'Notification deliveries by receiver, channel type and outcome (delivered, retried, dead_lettered).',
          labelNames: ['receiver', 'channel', 'outcome'],
        }),
        latency: metrics.histogram({
          name: 'vigil_notification_latency_seconds',
          help: 'How long a channel took to accept a notification.',
          labelNames: ['receiver', 'channel'],
          unit: 'seconds',
        }),
      };
      const queued: Gauge = metrics.gauge({
        name: 'vigil_notification_queue_length',
        help: 'Deliveries waiting (or waiting for a retry), all channels together.',
        collect: () => queued.set(this.queueLength),
      });
      const silences: Gauge = metrics.gauge({
        name: 'vigil_silences_active',
        help: 'Silences active now.',
        collect: () => silences.set(this.#silences.activeCount(this.#config.clock.now())),
      });
      const alerts: Gauge<'state' | 'severity'> = metrics.gauge({
        name: 'vigil_notifier_alerts',
        help: 'Alerts the notifier holds, by state (active, suppressed, resolved) and severity.',
        labelNames: ['state', 'severity'],
        collect: () => {
          alerts.reset();
          const now = this.#config.clock.now();
          for (const alert of this.#alerts.values()) {
            const muted = this.#muting(alert.labels, now);
            const state =
              alert.endsAt !== undefined
                ? 'resolved'
                : muted.silencedBy.length > 0 || muted.inhibitedBy !== undefined
                  ? 'suppressed'
                  : 'active';
            alerts.inc({ state, severity: alert.labels['severity'] ?? '' });
          }
        },
      });
    }
  }

  /**
   * Takes the alerts of `engine` at every cycle it evaluates; answers a function that stops. With
   * a store, the notifier sends only while the engine leads: when it is elected, it takes over
   * the shared state (silences, acknowledgements, notification log, outbox) first.
   */
  watch(engine: Pick<AlertEngine, 'on' | 'off' | 'leader' | 'rules'>): () => void {
    const source = ++this.#nextSource;
    const evaluated = ({ at, alerts }: { at: number; alerts: readonly Alert[] }) => {
      this.#turn = this.#turn
        .then(() => this.#refresh())
        .then(() => this.#ingest(alerts, at, source))
        .catch((error: unknown) => this.#report(error, 'ingest alerts'));
    };
    const leadership = ({ leader }: { leader: boolean }) => {
      this.#turn = this.#turn
        .then(() => (leader ? this.#takeOver() : this.#standDown()))
        .catch((error: unknown) => this.#report(error, 'change of leader'));
    };
    const test = ({ labels }: { labels: Labels }) => {
      if (this.#active) this.testFire(labels);
    };
    engine.on('evaluated', evaluated);
    engine.on('leadership', leadership);
    engine.on('test-fire', test);
    this.#engines.push(engine);
    if (this.#store !== undefined && !engine.leader) this.#active = false;
    return () => {
      engine.off('evaluated', evaluated);
      engine.off('leadership', leadership);
      engine.off('test-fire', test);
    };
  }

  /**
   * Waits until what was reported (by `ingest` or a watched engine) has been taken in, and what
   * was written to the store so far has been written.
   */
  async settled(): Promise<void> {
    await this.#turn;
    await this.#writes;
  }

  /** A new leader: the shared state loaded, the outbox's deliveries queued again, then sending. */
  #takeOver(): Promise<void> {
    this.#loaded = this.#load().then(() => {
      this.#active = true;
    });
    return this.#loaded;
  }

  async #load(): Promise<void> {
    const store = this.#store;
    if (store !== undefined) {
      const [silences, acks, log, outbox] = await Promise.all([
        store.silences(),
        store.acknowledgements(),
        store.log(),
        store.outbox(),
      ]);
      this.#silences.restore(silences);
      this.#acks.clear();
      for (const [fp, ack] of acks) this.#acks.set(fp, ack);
      this.#log.clear();
      for (const [key, entry] of log) this.#log.set(key, entry);
      for (const record of outbox.sort((a, b) => a.dueAt - b.dueAt)) {
        this.#queues.get(record.receiver)?.[record.channel]?.push({ ...record });
      }
    }
  }

  /** No longer the leader: nothing more is sent from here; what waits stays in the outbox. */
  async #standDown(): Promise<void> {
    this.#active = false;
    this.#loaded = undefined;
    for (const group of this.#groups.values()) {
      if (group.timer !== undefined) this.#config.timers.clearTimeout(group.timer);
    }
    this.#groups.clear();
    this.#alerts.clear();
    this.#routesOf.clear();
    for (const queues of this.#queues.values()) for (const queue of queues) await queue.reset();
  }

  /** The leader reads the silences and acknowledgements any instance may have changed. */
  async #refresh(): Promise<void> {
    const store = this.#store;
    if (store === undefined || !this.#active) return;
    const [silences, acks] = await Promise.all([store.silences(), store.acknowledgements()]);
    // Restored only when they changed: a restore starts a new epoch of silence answers.
    const text = JSON.stringify(silences);
    if (text !== this.#storedSilences) {
      this.#storedSilences = text;
      this.#silences.restore(silences);
    }
    this.#acks.clear();
    for (const [fp, ack] of acks) this.#acks.set(fp, ack);
  }

  /** Runs a write to the store after the ones before it; a failure is reported. */
  #persist(write: (store: NotifierStore) => Promise<void>): Promise<void> {
    const store = this.#store;
    if (store === undefined) return Promise.resolve();
    const next = this.#writes.then(() => write(store));
    this.#writes = next.catch((error: unknown) => this.#report(error, 'write notifier state'));
    return next;
  }

  /**
   * Takes the engine's alerts at `at` (every alert it holds: pending ones are not notified,
   * firing ones are, resolved ones resolve). A firing alert the same `source` (each watched
   * engine is one) no longer reports (its rule was removed) resolves.
   */
  ingest(alerts: readonly Alert[], at: number, source = 0): void {
    if (this.#store === undefined) {
      this.#ingest(alerts, at, source);
      return;
    }
    // With a store, the shared state is loaded before the first alerts are taken in.
    this.#turn = this.#turn
      .then(() => this.#loaded ?? this.#takeOver())
      .then(() => this.#ingest(alerts, at, source))
      .catch((error: unknown) => this.#report(error, 'ingest alerts'));
  }

  #ingest(alerts: readonly Alert[], at: number, source: number): void {
    if (this.#closed || !this.#active) return;
    const seen = new Set<string>();
    for (const alert of alerts) {
      if (alert.state === 'pending') continue;
      const fp = fingerprint(alert.labels);
      seen.add(fp);
      this.#sources.set(fp, source);
      const startsAt = alert.firedAt ?? alert.activeAt;
      let endsAt = alert.state === 'inactive' ? (alert.resolvedAt ?? at) : undefined;
      const byHand = this.#resolvedByHand.get(fp);
      if (byHand !== undefined) {
        // Resolved by hand: it stays resolved until the engine resolves it too, or it fires anew.
        if (endsAt === undefined && startsAt <= byHand.at) endsAt = byHand.at;
        else this.#resolvedByHand.delete(fp);
      }
      this.#upsert(fp, alert.labels, alert.annotations, startsAt, endsAt, at);
    }
    for (const tracked of this.#alerts.values()) {
      // Only the source that reported an alert can drop it (another engine's batch does not).
      if (seen.has(tracked.fingerprint) || this.#sources.get(tracked.fingerprint) !== source)
        continue;
      this.#resolvedByHand.delete(tracked.fingerprint);
      if (tracked.endsAt === undefined) {
        this.#upsert(
          tracked.fingerprint,
          tracked.labels,
          tracked.annotations,
          tracked.startsAt,
          at,
          at,
        );
      }
    }
    if (this.#firingChanged) {
      this.#firingChanged = false;
      this.#config.inhibitor.update(this.#firing());
    }
    this.#escalate(at);
  }

  /** Sends the escalation steps due for firing alerts nobody acknowledged. */
  #escalate(now: number): void {
    const policies = this.#config.escalations;
    if (policies.length === 0) return;
    for (const alert of this.#alerts.values()) {
      if (alert.endsAt !== undefined || this.#acks.has(alert.fingerprint)) continue;
      const muted = this.#muting(alert.labels, now);
      if (muted.silencedBy.length > 0 || muted.inhibitedBy !== undefined) continue;
      const policy = policies.find((p) => p.matches(alert.labels));
      if (policy === undefined) continue;
      const done = this.#escalated.get(alert.fingerprint) ?? 0;
      let step = done;
      while (step < policy.steps.length && (policy.steps[step]?.after ?? 0) <= now - alert.startsAt)
        step++;
      if (step === done) continue;
      this.#escalated.set(alert.fingerprint, step);
      const last = policy.steps[step - 1] as (typeof policy.steps)[number];
      const labels =
        last.severity === undefined ? alert.labels : { ...alert.labels, severity: last.severity };
      const receivers =
        last.receiver !== undefined
          ? [last.receiver]
          : [...new Set((this.#routesOf.get(alert.fingerprint) ?? []).map((r) => r.receiver))];
      const waited = Math.round((now - alert.startsAt) / 60_000);
      for (const receiver of receivers) {
        const notification = this.#single(
          receiver,
          { ...alert, labels },
          'escalation',
          `escalation:${alert.fingerprint}:${step}`,
          { escalation: `unacknowledged for ${waited} min: step ${step}` },
        );
        this.#deliver(receiver, notification, now);
      }
    }
  }

  /** A notification of one alert, outside any group: an escalation, a test. */
  #single(
    receiver: string,
    alert: Pick<TrackedAlert, 'labels' | 'annotations' | 'startsAt' | 'fingerprint'>,
    kind: 'escalation' | 'test',
    groupKey: string,
    extraAnnotations: Labels,
  ): Notification {
    const annotations = { ...alert.annotations, ...extraAnnotations };
    return {
      receiver,
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: alert.labels,
          annotations,
          startsAt: new Date(alert.startsAt).toISOString(),
          endsAt: ZERO_TIME,
          generatorURL: '',
          fingerprint: alert.fingerprint,
        },
      ],
      groupLabels: {},
      commonLabels: alert.labels,
      commonAnnotations: annotations,
      externalURL: this.#config.externalURL,
      groupKey,
      truncatedAlerts: 0,
      kind,
    };
  }

  /**
   * Acknowledges a firing alert (by its fingerprint): its group stops repeating it and it is not
   * escalated; it still resolves. False when no such alert fires.
   */
  acknowledge(fingerprint: string, by: string, comment = ''): boolean {
    const alert = this.#alerts.get(fingerprint);
    if (alert === undefined || alert.endsAt !== undefined) return false;
    const ack = { by, at: this.#config.clock.now(), comment };
    this.#acks.set(fingerprint, ack);
    void this.#persist((store) => store.writeAcknowledgement(fingerprint, ack)).catch(
      () => undefined,
    );
    return true;
  }

  /** Takes an acknowledgement back; false when there was none. */
  unacknowledge(fingerprint: string): boolean {
    if (!this.#acks.delete(fingerprint)) return false;
    void this.#persist((store) => store.writeAcknowledgement(fingerprint, undefined)).catch(
      () => undefined,
    );
    return true;
  }

  /** The acknowledgement of an alert, if any. */
  acknowledgement(fingerprint: string): Acknowledgement | undefined {
    return this.#acks.get(fingerprint);
  }

  /**
   * Resolves a firing alert by hand: it is notified as resolved at its group's next flush, and
   * stays resolved until the engine resolves it too (then a new incident fires anew). False when
   * no such alert fires.
   */
  resolve(fingerprint: string, by: string, comment = ''): boolean {
    const alert = this.#alerts.get(fingerprint);
    if (alert === undefined || alert.endsAt !== undefined) return false;
    const now = this.#config.clock.now();
    this.#resolvedByHand.set(fingerprint, { by, at: now, comment });
    this.#upsert(fingerprint, alert.labels, alert.annotations, alert.startsAt, now, now);
    this.#config.inhibitor.update(this.#firing());
    return true;
  }

  /**
   * Sends a synthetic alert through the routing tree at once (no group wait, no dedup), to check
   * the channels end to end: `labels`, or the labels of a watched engine's rule by its name.
   * Answers the receivers it went to.
   */
  testFire(ruleOrLabels: string | Labels): string[] {
    let labels: Labels;
    if (typeof ruleOrLabels === 'string') {
      const rule = this.#engines
        .flatMap((engine) => engine.rules())
        .find((r) => r.name === ruleOrLabels);
      labels = { ...(rule?.labels ?? {}), alertname: ruleOrLabels };
    } else {
      labels = { alertname: 'VigilTest', ...ruleOrLabels };
    }
    const now = this.#config.clock.now();
    const routes = matchRoutes(this.#config.route, labels);
    const receivers = [...new Set(routes.map((route) => route.receiver))];
    for (const receiver of receivers) {
      const alert = { labels, annotations: {}, startsAt: now, fingerprint: fingerprint(labels) };
      const summary = `Test notification from Vigil for ${labels['alertname']}`;
      this.#deliver(
        receiver,
        this.#single(receiver, alert, 'test', `test:${now}`, { summary }),
        now,
      );
    }
    return receivers;
  }

  *#firing(): Iterable<{ fingerprint: string; labels: Labels }> {
    for (const alert of this.#alerts.values()) if (alert.endsAt === undefined) yield alert;
  }

  #upsert(
    fp: string,
    labels: Labels,
    annotations: Labels,
    startsAt: number,
    endsAt: number | undefined,
    now: number,
  ): void {
    let tracked = this.#alerts.get(fp);
    if (tracked !== undefined) {
      tracked.annotations = annotations;
      if (tracked.endsAt === endsAt && tracked.startsAt === startsAt) return;
      if ((tracked.endsAt === undefined) !== (endsAt === undefined)) this.#firingChanged = true;
      tracked.startsAt = startsAt;
      tracked.endsAt = endsAt;
      tracked.version++;
    } else {
      // A resolved alert not seen firing here still goes through its groups: the notification
      // log says whether a receiver heard it fire (from a leader before this one).
      tracked = {
        fingerprint: fp,
        labels,
        annotations,
        startsAt,
        endsAt,
        version: 0,
        groups: 0,
        silenced: false,
        silenceEpoch: -1,
        inhibited: false,
        inhibitVersion: -1,
      };
      this.#firingChanged = true;
      this.#alerts.set(fp, tracked);
    }
    let routes = this.#routesOf.get(fp);
    if (routes === undefined) {
      routes = matchRoutes(this.#config.route, labels);
      this.#routesOf.set(fp, routes);
    }
    for (const route of routes) this.#insert(route, tracked, now);
  }

  #insert(route: Route, alert: TrackedAlert, now: number): void {
    const id = groupId(route, alert.labels);
    let group = this.#groups.get(id);
    if (group === undefined) {
      const labels = groupLabels(route, alert.labels);
      const key = `${route.key}:${formatLabels(labels)}`;
      group = {
        id,
        key,
        route,
        labels,
        alerts: new Map(),
        timer: undefined,
        dirty: true,
        muted: false,
        silenceEpoch: -1,
        inhibitVersion: -1,
        nextRepeatAt: Number.NEGATIVE_INFINITY,
      };
      this.#groups.set(id, group);
      // An alert that has fired for longer than the group wait goes at once, as in Alertmanager.
      const wait = alert.startsAt + route.groupWait <= now ? 0 : route.groupWait;
      this.#schedule(group, wait);
    }
    if (!group.alerts.has(alert.fingerprint)) alert.groups++;
    group.alerts.set(alert.fingerprint, alert);
    group.dirty = true;
  }

  #schedule(group: Group, delay: number): void {
    group.timer = this.#config.timers.setTimeout(() => {
      group.timer = undefined;
      try {
        this.#flush(group);
      } catch (error) {
        this.#report(error, `flush group ${group.key}`);
      }
    }, delay);
  }

  /** Why an alert with these labels is not notified now, if it is not. */
  muting(labels: Labels): AlertMuting {
    return this.#muting(labels, this.#config.clock.now());
  }

  #muting(labels: Labels, now: number): AlertMuting {
    return {
      silencedBy: this.#silences.mutedBy(labels, now),
      inhibitedBy: this.#config.inhibitor.inhibitedBy(labels),
    };
  }

  #routeMuted(route: Route, now: number): boolean {
    const intervals = this.#config.timeIntervals;
    if (route.muteTimeIntervals.some((name) => intervals.get(name)?.(now) === true)) return true;
    return (
      route.activeTimeIntervals.length > 0 &&
      !route.activeTimeIntervals.some((name) => intervals.get(name)?.(now) === true)
    );
  }

  /** Starts a new epoch of silence answers when the silences changed, or one started or ended. */
  #refreshSilenceEpoch(now: number): void {
    const silences = this.#silences;
    if (silences.version === this.#silenceVersion && now < this.#silenceUntil) return;
    this.#silenceEpoch++;
    this.#silenceVersion = silences.version;
    this.#silenceUntil = silences.nextChange(now);
  }

  /** Whether a silence mutes `alert` now, computed once per epoch. */
  #silenced(alert: TrackedAlert, now: number): boolean {
    if (alert.silenceEpoch !== this.#silenceEpoch) {
      alert.silenced = this.#silences.isMuted(alert.labels, now);
      alert.silenceEpoch = this.#silenceEpoch;
    }
    return alert.silenced;
  }

  /** Whether a firing alert inhibits `alert`, computed once per inhibitor update. */
  #inhibited(alert: TrackedAlert): boolean {
    const inhibitor = this.#config.inhibitor;
    if (alert.inhibitVersion !== inhibitor.version) {
      alert.inhibited = inhibitor.inhibitedBy(alert.labels) !== undefined;
      alert.inhibitVersion = inhibitor.version;
    }
    return alert.inhibited;
  }

  #flush(group: Group): void {
    if (this.#closed) return;
    const now = this.#config.clock.now();
    this.#refreshSilenceEpoch(now);
    const muted = this.#routeMuted(group.route, now);
    const inhibitVersion = this.#config.inhibitor.version;
    // Nothing changed since the last flush and no repeat is due: nothing to decide.
    if (
      !group.dirty &&
      !muted &&
      !group.muted &&
      group.silenceEpoch === this.#silenceEpoch &&
      group.inhibitVersion === inhibitVersion &&
      now < group.nextRepeatAt
    ) {
      this.#schedule(group, group.route.groupInterval);
      return;
    }
    const snapshot = [...group.alerts.values()].map((alert) => ({ alert, version: alert.version }));
    group.nextRepeatAt = Number.NEGATIVE_INFINITY;
    if (!muted) {
      const shown: TrackedAlert[] = [];
      const firing = new Set<string>();
      const resolved = new Set<string>();
      for (const { alert } of snapshot) {
        if (this.#silenced(alert, now) || this.#inhibited(alert)) continue;
        shown.push(alert);
        if (alert.endsAt === undefined || alert.endsAt > now) firing.add(alert.fingerprint);
        else resolved.add(alert.fingerprint);
      }
      group.nextRepeatAt = this.#notify(group, shown, firing, resolved, now);
    }
    group.dirty = false;
    group.muted = muted;
    group.silenceEpoch = this.#silenceEpoch;
    group.inhibitVersion = inhibitVersion;
    // Resolved alerts notified (and unchanged since) leave the group; an empty group goes.
    for (const { alert, version } of snapshot) {
      if (alert.endsAt !== undefined && alert.endsAt <= now && alert.version === version) {
        group.alerts.delete(alert.fingerprint);
        if (--alert.groups === 0) {
          this.#alerts.delete(alert.fingerprint);
          this.#routesOf.delete(alert.fingerprint);
          this.#acks.delete(alert.fingerprint);
          this.#escalated.delete(alert.fingerprint);
          this.#sources.delete(alert.fingerprint);
        }
      }
    }
    if (group.alerts.size === 0) {
      this.#groups.delete(group.id);
      return;
    }
    this.#schedule(group, group.route.groupInterval);
  }

  #notify(
    group: Group,
    alerts: readonly TrackedAlert[],
    firing: ReadonlySet<string>,
    resolved: ReadonlySet<string>,
    now: number,
  ): number {
    const name = group.route.receiver;
    const receiver = this.#config.receivers.get(name);
    if (receiver === undefined) return Number.POSITIVE_INFINITY;
    const logKey = `${group.key}|${name}`;
    const entry = this.#log.get(logKey);
    const changed = needsUpdate(
      entry,
      firing,
      resolved,
      Number.POSITIVE_INFINITY,
      receiver.sendResolved,
      now,
    );
    const severities = alerts
      .filter((a) => firing.has(a.fingerprint))
      .map((a) => a.labels['severity']);
    const waitAfter = (repeated: number) =>
      repeatWait(this.#config.cooldowns, severities, repeated, group.route.repeatInterval);
    let repeats = 0;
    if (!changed) {
      if (entry === undefined || firing.size === 0) return Number.POSITIVE_INFINITY;
      const due = entry.at + waitAfter(entry.repeats);
      if (now < due) return due;
      // An acknowledged alert stops repeating (it still resolves, and a new one still goes).
      if ([...firing].every((fp) => this.#acks.has(fp))) return due;
      repeats = entry.repeats + 1;
    }
    const logged = { firing: [...firing], resolved: [...resolved], at: now, repeats };
    this.#log.set(logKey, logged);
    const sent = alerts.filter((alert) => receiver.sendResolved || firing.has(alert.fingerprint));
    if (sent.length > 0) {
      this.#deliver(name, this.#notification(group, name, sent, firing.size > 0), now);
    }
    // Logged after the outbox has the notification (writes run in order): a leader dying in
    // between leaves it in the outbox (sent again, under the same id), never logged but unsent.
    void this.#persist((store) => store.writeLog(digestOf(logKey), logKey, logged)).catch(
      () => undefined,
    );
    return firing.size === 0 ? Number.POSITIVE_INFINITY : now + waitAfter(repeats);
  }

  /** Queues a notification for every channel of `receiver`, within its storm limit. */
  #deliver(receiver: string, notification: Notification, now: number): void {
    const limit = this.#config.stormLimit;
    if (limit !== undefined) {
      let limiter = this.#storms.get(receiver);
      if (limiter === undefined) {
        limiter = new StormLimiter(limit.max, limit.window);
        this.#storms.set(receiver, limiter);
      }
      if (!limiter.admit(now, notification)) {
        this.#scheduleDigest(receiver, limiter);
        return;
      }
    }
    this.#emit('notification', { receiver, notification });
    this.#enqueue(receiver, notification);
  }

  /**
   * Queues a notification for each channel of `receiver`, under an id its content decides (a new
   * leader computing the same notification gets the same id). With a store, the outbox has it
   * before the channel does.
   */
  #enqueue(receiver: string, notification: Notification): void {
    const id = digestOf(
      JSON.stringify([
        receiver,
        notification.groupKey,
        notification.status,
        notification.alerts.map((a) => `${a.fingerprint}:${a.status}:${a.startsAt}`),
        this.#log.get(`${notification.groupKey}|${receiver}`)?.repeats ?? 0,
      ]),
    );
    const identified = { ...notification, id };
    const now = this.#config.clock.now();
    (this.#queues.get(receiver) ?? []).forEach((queue, channel) => {
      const delivery: Delivery = {
        id: `${id}.${channel}`,
        receiver,
        channel,
        notification: identified,
        attempts: 0,
        dueAt: now,
      };
      if (this.#store === undefined) queue.push(delivery);
      else {
        void this.#persist((store) => store.writeOutbox(outboxRecord(delivery))).then(
          () => queue.push(delivery),
          () => queue.push(delivery),
        );
      }
    });
  }

  #scheduleDigest(receiver: string, limiter: StormLimiter<Notification>): void {
    if (this.#digestTimers.has(receiver)) return;
    const at = limiter.releaseAt() ?? this.#config.clock.now();
    const timer = this.#config.timers.setTimeout(
      () => {
        this.#digestTimers.delete(receiver);
        const now = this.#config.clock.now();
        const held = limiter.release(now);
        if (held.length === 0 || this.#closed) return;
        // One digest for the flood: each alert once, in its latest state.
        const alerts = new Map<string, NotifiedAlert>();
        for (const n of held) for (const alert of n.alerts) alerts.set(alert.fingerprint, alert);
        const list = [...alerts.values()];
        const digest: Notification = {
          receiver,
          status: list.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
          alerts: list,
          groupLabels: {},
          commonLabels: common(list.map((a) => a.labels)),
          commonAnnotations: common(list.map((a) => a.annotations)),
          externalURL: this.#config.externalURL,
          groupKey: `digest:${receiver}`,
          truncatedAlerts: 0,
          kind: 'digest',
          digestOf: held.length,
        };
        this.#emit('notification', { receiver, notification: digest });
        this.#enqueue(receiver, digest);
      },
      Math.max(0, at - this.#config.clock.now()),
    );
    this.#digestTimers.set(receiver, timer);
  }

  #notification(
    group: Group,
    receiver: string,
    alerts: readonly TrackedAlert[],
    firing: boolean,
  ): Notification {
    const now = this.#config.clock.now();
    const notified: NotifiedAlert[] = alerts.map((alert) => {
      const isResolved = alert.endsAt !== undefined && alert.endsAt <= now;
      return {
        status: isResolved ? 'resolved' : 'firing',
        labels: alert.labels,
        annotations: alert.annotations,
        startsAt: new Date(alert.startsAt).toISOString(),
        endsAt: alert.endsAt === undefined ? ZERO_TIME : new Date(alert.endsAt).toISOString(),
        generatorURL: '',
        fingerprint: alert.fingerprint,
      };
    });
    return {
      receiver,
      status: firing ? 'firing' : 'resolved',
      alerts: notified,
      groupLabels: group.labels,
      commonLabels: common(alerts.map((a) => a.labels)),
      commonAnnotations: common(alerts.map((a) => a.annotations)),
      externalURL: this.#config.externalURL,
      groupKey: group.key,
      truncatedAlerts: 0,
    };
  }

  async #deadLetter(delivery: Delivery, channel: string, error: unknown): Promise<void> {
    const letter: DeadLetter = {
      id: delivery.id,
      receiver: delivery.receiver,
      channel,
      notification: delivery.notification,
      attempts: delivery.attempts,
      error: error instanceof Error ? error.message : String(error),
      failedAt: this.#config.clock.now(),
    };
    const letters = this.#store?.deadLetters;
    if (letters === undefined) {
      this.#deadLetters.push(letter);
      if (this.#deadLetters.length > this.#config.maxDeadLetters) this.#deadLetters.shift();
    } else {
      await this.#persist(async (store) => {
        await letters.add({
          id: letter.id,
          queue: DEAD_LETTER_QUEUE,
          payload: {
            receiver: letter.receiver,
            channel: delivery.channel,
            notification: letter.notification,
          },
          error: { message: letter.error },
          attempts: letter.attempts,
          failedAt: letter.failedAt,
          metadata: { channelType: channel },
        });
        await store.deleteOutbox(delivery.id);
      }).catch(() => undefined);
    }
    this.#emit('dead-letter', letter);
  }

  /** Deliveries given up, oldest first: the store's dead-letter queue with a store. */
  async deadLetters(): Promise<DeadLetter[]> {
    const letters = this.#store?.deadLetters;
    if (letters === undefined) return [...this.#deadLetters];
    const out: DeadLetter[] = [];
    let cursor: string | undefined;
    do {
      const page = await letters.list({
        queue: DEAD_LETTER_QUEUE,
        limit: 1_000,
        ...(cursor === undefined ? {} : { cursor }),
      });
      for (const stored of page.letters) out.push(fromStored(stored));
      cursor = page.cursor;
    } while (cursor !== undefined);
    return out.sort((a, b) => a.failedAt - b.failedAt);
  }

  /** Sends a dead letter again (to the channel it failed on); false when there is none such. */
  async replay(id: string): Promise<boolean> {
    let letter: DeadLetter | undefined;
    const letters = this.#store?.deadLetters;
    if (letters === undefined) {
      const at = this.#deadLetters.findIndex((l) => l.id === id);
      if (at !== -1) [letter] = this.#deadLetters.splice(at, 1);
    } else {
      const stored = await letters.get(id);
      if (stored !== undefined && stored.queue === DEAD_LETTER_QUEUE) {
        letter = fromStored(stored);
        await letters.remove(id);
      }
    }
    if (letter === undefined) return false;
    const index = (this.#config.receivers.get(letter.receiver)?.channels ?? []).findIndex(
      (channel) => channel.type === letter.channel,
    );
    const queue = this.#queues.get(letter.receiver)?.[index];
    if (queue === undefined) return false;
    const delivery: Delivery = {
      id: letter.id,
      receiver: letter.receiver,
      channel: index,
      notification: letter.notification,
      attempts: 0,
      dueAt: this.#config.clock.now(),
    };
    await this.#persist((store) => store.writeOutbox(outboxRecord(delivery))).catch(
      () => undefined,
    );
    queue.push(delivery);
    return true;
  }

  /** Deliveries waiting in every channel's queue. */
  get queueLength(): number {
    let length = 0;
    for (const queues of this.#queues.values()) for (const queue of queues) length += queue.length;
    return length;
  }

  /** The groups held now: their key, receiver, labels and alerts' fingerprints. */
  groups(): { key: string; receiver: string; labels: Labels; alerts: string[] }[] {
    return [...this.#groups.values()].map((group) => ({
      key: group.key,
      receiver: group.route.receiver,
      labels: group.labels,
      alerts: [...group.alerts.keys()],
    }));
  }

  /** @throws ConfigurationError (`INVALID_OPTION`) for a malformed silence. */
  createSilence(input: SilenceInput): Silence {
    const silence = this.#silences.create(input);
    this.#persistSilence(silence.id);
    return silence;
  }

  #persistSilence(id: string): void {
    const record = this.#silences.records().find((r) => r.id === id);
    if (record !== undefined) {
      void this.#persist((store) => store.writeSilence(record)).catch(() => undefined);
    }
  }

  /** Undefined when there is no such silence, or it has ended. */
  updateSilence(id: string, input: SilenceInput): Silence | undefined {
    const silence = this.#silences.update(id, input);
    if (silence !== undefined) this.#persistSilence(id);
    return silence;
  }

  expireSilence(id: string): boolean {
    const expired = this.#silences.expire(id);
    if (expired) this.#persistSilence(id);
    return expired;
  }

  silences(): Silence[] {
    return this.#silences.list();
  }

  /** Waits until no delivery is being sent (those waiting for a retry stay queued). */
  async idle(): Promise<void> {
    for (const queues of this.#queues.values()) for (const queue of queues) await queue.idle();
  }

  /** Stops: group timers cleared, deliveries in flight aborted, channels closed. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const group of this.#groups.values()) {
      if (group.timer !== undefined) this.#config.timers.clearTimeout(group.timer);
    }
    for (const timer of this.#digestTimers.values()) this.#config.timers.clearTimeout(timer);
    for (const queues of this.#queues.values()) for (const queue of queues) await queue.close();
    for (const { channels } of this.#config.receivers.values()) {
      for (const channel of channels) {
        await channel
          .close?.()
          .catch((error: unknown) => this.#report(error, `close ${channel.type} channel`));
      }
    }
  }

  #emit<K extends keyof NotifierEvents>(event: K, ...args: NotifierEvents[K]): void {
    if (this.listenerCount(event) === 0) return;
    try {
      (this.emit as (event: K, ...args: NotifierEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.#report(error, `'${event}' listener`);
    }
  }
}
