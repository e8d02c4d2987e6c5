import { hostname } from 'node:os';
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
import type { LeaseStore, RecordStore, TimeSeriesStore } from '@vigil/storage';
import type { RuleGroupDefinition } from '../rules/rule-definition.js';

/** What the engine keeps in a store: a `Store` of `@vigil/storage` (or any adapter) fits. */
export interface AlertStore {
  readonly timeSeries: TimeSeriesStore;
  readonly records: RecordStore;
  readonly leases: LeaseStore;
}

/** The lease the engines sharing a store campaign for: its holder evaluates the rules. */
export interface AlertLeaseOptions {
  /** Default `'vigil:alerts:leader'`: one leader per store; name one per fleet sharing a store. */
  name?: string | undefined;
  /** How long a leader holds it without renewing (it renews every cycle). Default 3 intervals. */
  ttl?: DurationInput | undefined;
}

/**
 * Options of `new AlertEngine(options)`. Every field but `registry` is optional and also takes
 * `undefined` (the default), so options can be passed through from configuration.
 */
export interface AlertEngineOptions {
  /** The registry each cycle samples (one `snapshot()`) into history. */
  registry: Registry;
  /** Rule groups to start with; more with `addGroup()` or `loadRuleFile()`. */
  groups?: readonly RuleGroupDefinition[] | undefined;
  /** How often a cycle samples the registry and evaluates the rules. Default `'15s'`. */
  evaluationInterval?: DurationInput | undefined;
  /** How long history is kept (rules cannot look back further). Default `'24h'`. */
  retention?: DurationInput | undefined;
  /**
   * Where history, alert state and run-time rules are kept, shared by every engine that is given
   * the same store (Redis or PostgreSQL across instances; SQLite or memory in one process). Each
   * engine writes its samples there with its `instance` label; the one holding the lease reads
   * the fleet's points and evaluates. Default: none, history in memory, state lost on restart.
   */
  store?: AlertStore | undefined;
  /** This engine's `instance` label on the samples it writes to the store. Default `host:pid`. */
  instance?: string | undefined;
  /** The leader lease, with a store. */
  lease?: AlertLeaseOptions | undefined;
  /**
   * After a restart or a change of leader, pending alerts restored from the store wait at least
   * this long before they fire (Prometheus's `rules.alert.for-grace-period`). Default `'10m'`.
   */
  forGracePeriod?: DurationInput | undefined;
  /**
   * Alert state older than this is not restored (Prometheus's
   * `rules.alert.for-outage-tolerance`). Default `'1h'`.
   */
  outageTolerance?: DurationInput | undefined;
  /** State transitions kept for `transitions()`. Default 1,000. */
  historySize?: number | undefined;
  /** Keep `vigil_alert_*` metrics in this registry (default: `registry`); `false`: none. */
  metrics?: Registry | false | undefined;
  /** Wall clock in ms: sample times and evaluation times. Default core's `systemClock`. */
  clock?: Clock | undefined;
  /**
   * Where the evaluation timer is scheduled. Default core's `systemTimers`, whose timers never
   * keep the process alive; pass a manual clock's in tests.
   */
  timers?: Timers | undefined;
  /**
   * Told about failures that must not throw into the host: a rule that failed, a listener that
   * threw. Default: a `VigilWarning` (`VIGIL_BACKGROUND_ERROR`) once per kind of failure.
   */
  onError?: OnError | undefined;
}

/** @internal The options checked, with defaults. */
export interface AlertEngineConfig {
  readonly registry: Registry;
  readonly groups: readonly RuleGroupDefinition[];
  readonly evaluationInterval: number;
  readonly retention: number;
  readonly historySize: number;
  readonly store: AlertStore | undefined;
  readonly instance: string;
  readonly leaseName: string;
  readonly leaseTtl: number;
  readonly forGracePeriod: number;
  readonly outageTolerance: number;
  readonly metrics: Registry | undefined;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly onError: OnError | undefined;
}

const OWNER = 'AlertEngine';
const KEYS = [
  'registry',
  'groups',
  'evaluationInterval',
  'retention',
  'historySize',
  'store',
  'instance',
  'lease',
  'forGracePeriod',
  'outageTolerance',
  'metrics',
  'clock',
  'timers',
  'onError',
] as const satisfies readonly (keyof AlertEngineOptions)[];

/**
 * @internal Checks the options once, at construction: core's `ConfigurationError`
 * (`INVALID_OPTION`, or `INVALID_DURATION`) naming the field and the bad value.
 */
export function alertEngineConfig(options: AlertEngineOptions): AlertEngineConfig {
  const given = checkOptionsObject(OWNER, options, KEYS, { required: true });
  const registry = optionalRegistry<Registry>(OWNER, 'registry', given['registry']);
  if (registry === undefined) {
    throw invalidOption(OWNER, 'registry is required: the registry whose metrics the rules read');
  }
  const groups = given['groups'];
  if (groups !== undefined && !Array.isArray(groups)) {
    throw invalidOption(OWNER, 'groups should be a list of { name, interval?, rules }');
  }
  const metrics = given['metrics'];
  const evaluationInterval =
    optionalDuration(OWNER, 'evaluationInterval', given['evaluationInterval'], {
      positive: true,
    }) ?? 15_000;
  const lease = checkOptionsObject(`${OWNER} lease`, given['lease'], ['name', 'ttl']);
  return {
    registry,
    groups: (groups as RuleGroupDefinition[] | undefined) ?? [],
    evaluationInterval,
    retention:
      optionalDuration(OWNER, 'retention', given['retention'], {
        positive: true,
        max: Number.MAX_SAFE_INTEGER,
      }) ?? 86_400_000,
    historySize: optionalInteger(OWNER, 'historySize', given['historySize'], { min: 0 }) ?? 1_000,
    store: checkStore(given['store']),
    instance:
      optionalString(OWNER, 'instance', given['instance']) ?? `${hostname()}:${process.pid}`,
    leaseName: optionalString(`${OWNER} lease`, 'name', lease['name']) ?? 'vigil:alerts:leader',
    leaseTtl:
      optionalDuration(`${OWNER} lease`, 'ttl', lease['ttl'], { positive: true }) ??
      3 * evaluationInterval,
    forGracePeriod: optionalDuration(OWNER, 'forGracePeriod', given['forGracePeriod']) ?? 600_000,
    outageTolerance:
      optionalDuration(OWNER, 'outageTolerance', given['outageTolerance']) ?? 3_600_000,
    metrics:
      metrics === false
        ? undefined
        : (optionalRegistry<Registry>(OWNER, 'metrics', metrics) ?? registry),
    clock: optionalClock(OWNER, 'clock', given['clock']) ?? systemClock,
    timers: optionalTimers(OWNER, 'timers', given['timers']) ?? systemTimers,
    onError: optionalOnError(OWNER, 'onError', given['onError']),
  };
}

function checkStore(store: unknown): AlertStore | undefined {
  if (store === undefined) return undefined;
  const candidate = store as Partial<AlertStore> | null;
  if (
    !hasMethods(candidate?.timeSeries, ['append', 'query']) ||
    !hasMethods(candidate?.records, ['get', 'set', 'compareAndSet', 'delete', 'list']) ||
    !hasMethods(candidate?.leases, ['acquire', 'renew', 'release', 'get'])
  ) {
    throw invalidOption(
      OWNER,
      `store should be a Store from @vigil/storage or an adapter (with timeSeries, records and leases), got ${describeValue(store)}`,
    );
  }
  return store as AlertStore;
}
