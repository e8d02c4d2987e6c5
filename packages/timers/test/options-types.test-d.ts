// Type-level tests, checked by `pnpm typecheck` (tsc), not run by vitest: options read from
// configuration may be `undefined`, and exactOptionalPropertyTypes must not refuse them.
import type { Clock, DurationInput, OnError, Registry } from '@vigil/core';
import { expectTypeOf } from 'vitest';
import {
  type BindTimerOptions,
  bindTimer,
  createTimers,
  PerformanceTracker,
  type PerformanceTrackerOptions,
  type TimerGroupOptions,
  timingScope,
} from '../src/index.js';

declare const registry: Registry;
declare const maybeRegistry: Registry | undefined;
declare const clock: Clock | undefined;
declare const onError: OnError | undefined;
declare const count: number | undefined;
declare const duration: DurationInput | undefined;
declare const flag: boolean | undefined;
declare const text: string | undefined;

new PerformanceTracker({
  baselineSamples: count,
  windowSize: count,
  minSamples: count,
  regressionThreshold: count,
  trendWindows: count,
  trendThreshold: count,
  evaluateEvery: count,
  bottleneck: { warning: duration, critical: duration },
  operationThresholds: undefined,
  maxOperations: count,
  eventInterval: duration,
  clock,
  registry: maybeRegistry,
  onError,
});
new PerformanceTracker(undefined);

createTimers(registry, {
  prefix: text,
  buckets: undefined,
  queryLabel: flag,
  maxQueryLength: count,
});
createTimers(registry, undefined);
timingScope(() => 1, { maxEntries: count });
const histogram = registry.histogram({ name: 'x_seconds', help: 'x' });
bindTimer(histogram, undefined, { name: text, detail: text });

expectTypeOf<PerformanceTrackerOptions['onError']>().toEqualTypeOf<OnError | undefined>();
expectTypeOf<PerformanceTrackerOptions['clock']>().toEqualTypeOf<Clock | undefined>();
expectTypeOf<TimerGroupOptions['prefix']>().toEqualTypeOf<string | undefined>();
expectTypeOf<BindTimerOptions['name']>().toEqualTypeOf<string | undefined>();
expectTypeOf<PerformanceTracker>().toMatchTypeOf<AsyncDisposable>();
