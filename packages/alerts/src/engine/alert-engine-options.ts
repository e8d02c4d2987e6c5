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
  invalidOption,
  optionalClock,
  optionalDuration,
  optionalInteger,
  optionalOnError,
  optionalRegistry,
  optionalTimers,
} from '@vigil/core/options';
import type { RuleGroupDefinition } from '../rules/rule-definition.js';

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
  /** State transitions kept for `history()`. Default 1,000. */
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
  return {
    registry,
    groups: (groups as RuleGroupDefinition[] | undefined) ?? [],
    evaluationInterval:
      optionalDuration(OWNER, 'evaluationInterval', given['evaluationInterval'], {
        positive: true,
      }) ?? 15_000,
    retention:
      optionalDuration(OWNER, 'retention', given['retention'], {
        positive: true,
        max: Number.MAX_SAFE_INTEGER,
      }) ?? 86_400_000,
    historySize: optionalInteger(OWNER, 'historySize', given['historySize'], { min: 0 }) ?? 1_000,
    metrics:
      metrics === false
        ? undefined
        : (optionalRegistry<Registry>(OWNER, 'metrics', metrics) ?? registry),
    clock: optionalClock(OWNER, 'clock', given['clock']) ?? systemClock,
    timers: optionalTimers(OWNER, 'timers', given['timers']) ?? systemTimers,
    onError: optionalOnError(OWNER, 'onError', given['onError']),
  };
}
