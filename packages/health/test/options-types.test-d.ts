// Type-level tests, checked by `pnpm typecheck` (tsc), not run by vitest: options read from
// configuration may be `undefined`, and exactOptionalPropertyTypes must not refuse them.
import type { Clock, OnError, Registry, Timers } from '@vigil/core';
import { expectTypeOf } from 'vitest';
import {
  type CheckOptions,
  checks,
  type HealthCheck,
  HealthMonitor,
  type HealthMonitorOptions,
  renderHealthJson,
} from '../src/index.js';

declare const registry: Registry | undefined;
declare const clock: Clock | undefined;
declare const timers: Timers | undefined;
declare const onError: OnError | undefined;
declare const flag: boolean | undefined;
declare const text: string | undefined;

new HealthMonitor({ registry: undefined as Registry | undefined });
new HealthMonitor({
  registry,
  clock,
  timers,
  onError,
  version: text,
  timeout: undefined,
  interval: undefined,
  checks: undefined,
});
new HealthMonitor(undefined);

const check: HealthCheck = {
  name: 'db',
  critical: flag,
  quick: flag,
  weight: undefined,
  start: undefined,
  close: undefined,
  run: () => true,
};
checks.postgres({ query: async () => ({}) }, { warnAfter: undefined, query: text, quick: flag });
checks.redis({ ping: async () => 'PONG' }, { warnAfter: undefined });
checks.eventLoop({ warn: undefined, fail: undefined, histogram: undefined });
checks.heap({ warn: undefined, critical: flag });
checks.diskSpace({ path: text, minFreeRatio: undefined });
checks.http('http://127.0.0.1/', { method: undefined, headers: undefined });
checks.custom('queue', () => true, { critical: flag });
renderHealthJson({ probe: 'liveness', status: 'pass', uptime: 1, time: '' }, { outputs: flag });
new HealthMonitor({ checks: [check] }).check({ quick: flag });

expectTypeOf<HealthMonitorOptions['registry']>().toEqualTypeOf<Registry | undefined>();
expectTypeOf<CheckOptions['critical']>().toEqualTypeOf<boolean | undefined>();
