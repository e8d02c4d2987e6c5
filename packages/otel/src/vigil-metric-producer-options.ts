import type { Clock, Registry } from '@vigil/core';
import {
  checkOptionsObject,
  optionalBoolean,
  optionalChoice,
  optionalClock,
  optionalRegistry,
  optionalString,
  required,
} from '@vigil/core/options';

/** Where the registry's default labels go in the OpenTelemetry data. */
export type DefaultLabelsPlacement = 'attributes' | 'resource';

/**
 * Options of `new VigilMetricProducer(options)`. Every field but `registry` is optional and also
 * takes `undefined` (the default).
 */
export interface VigilMetricProducerOptions {
  /** The registry whose metrics are shipped, read through `registry.snapshot()`. */
  registry: Registry;
  /**
   * `'attributes'` (default): the registry's default labels stay on every data point, as they are
   * on `/metrics`, whatever resource the `MeterProvider` has. `'resource'`: they are left off the
   * data points (but for a metric with its own label of that name) and belong on the resource:
   * build the `MeterProvider`'s resource from `producer.resourceAttributes`.
   */
  defaultLabels?: DefaultLabelsPlacement | undefined;
  /** The instrumentation scope's name. Default `'@vigil/otel'`. */
  scopeName?: string | undefined;
  /** The instrumentation scope's version. Default: none. */
  scopeVersion?: string | undefined;
  /**
   * Also ship the families a `VigilMetricReader` serves on this registry (its collector's:
   * OpenTelemetry's metrics and `target_info`). Default `false`: they are the SDK's own metrics,
   * which a `MeterProvider` exporting over OTLP ships already (under their OpenTelemetry names);
   * shipping them from the registry too would count them twice. Other collectors' families ship.
   */
  shipBridged?: boolean | undefined;
  /** Wall clock in ms: the start time of gauges (which have none of their own). Default `systemClock`. */
  clock?: Clock | undefined;
}

/** @internal The options checked, with defaults. */
export interface ProducerConfig {
  readonly registry: Registry;
  readonly defaultLabels: DefaultLabelsPlacement;
  readonly scope: { readonly name: string; readonly version?: string };
  readonly shipBridged: boolean;
  readonly clock: Clock | undefined;
}

const OWNER = 'VigilMetricProducer';
const KEYS = [
  'registry',
  'defaultLabels',
  'scopeName',
  'scopeVersion',
  'shipBridged',
  'clock',
] as const satisfies readonly (keyof VigilMetricProducerOptions)[];

/**
 * @internal Checks the options once, at construction.
 *
 * @throws ConfigurationError `INVALID_OPTION` naming the field, the bad value and what would be right.
 */
export function producerConfig(options: VigilMetricProducerOptions): ProducerConfig {
  const given = checkOptionsObject(OWNER, options, KEYS, { required: true });
  const registry = required(
    OWNER,
    'registry',
    optionalRegistry<Registry>(OWNER, 'registry', given.registry),
    'the Registry whose metrics to ship',
  );
  const version = optionalString(OWNER, 'scopeVersion', given.scopeVersion);
  const name = optionalString(OWNER, 'scopeName', given.scopeName) ?? '@vigil/otel';
  return {
    registry,
    defaultLabels:
      optionalChoice(OWNER, 'defaultLabels', given.defaultLabels, ['attributes', 'resource']) ??
      'attributes',
    scope: version === undefined ? { name } : { name, version },
    shipBridged: optionalBoolean(OWNER, 'shipBridged', given.shipBridged) ?? false,
    clock: optionalClock(OWNER, 'clock', given.clock),
  };
}
