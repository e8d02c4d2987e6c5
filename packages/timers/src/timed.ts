import { describeValue } from '@vigil/core/options';
import { BoundTimer } from './bound-timer.js';
import { TimersError } from './errors.js';
import { timeCall } from './measure.js';
import { type MethodDecorator, methodDecorator } from './method-decorator.js';
import { Timer } from './timer.js';
import {
  type AnyLabels,
  type AnyTarget,
  assertTarget,
  type MetricLike,
  type TimedChild,
  type TimedMetric,
  type TimerLabels,
} from './timer-target.js';

type Method = (this: unknown, ...args: never[]) => unknown;

/** The decorator `@timed()` returns: a method decorator of both forms. */
export type TimedDecorator = MethodDecorator;

/**
 * Times every call of a method into `metric`. Sync methods record when they return, async ones
 * when their promise settles, generator methods (sync and async) from the first `next()` until
 * the generator completes, throws, or is closed early by `return()` (a `break` in `for … of`),
 * which counts as a success. A throw or rejection records `result="error"` when the metric has a
 * `result` label, then propagates.
 *
 * ```ts
 * class Reports { @timed(latency, { job: 'report' }) async build() { … } }
 * ```
 *
 * @throws TimersError `TIMERS_INVALID_METRIC` for a target that cannot record durations,
 * `TIMERS_INVALID_DECORATOR` when applied to something other than a method.
 */
export function timed<L extends string>(
  metric: TimedMetric<L>,
  ...labels: [Exclude<L, 'result'>] extends [never]
    ? [labels?: TimerLabels<L>]
    : [labels: TimerLabels<L>]
): TimedDecorator;
export function timed(target: TimedChild | BoundTimer): TimedDecorator;
export function timed(target: AnyTarget, labels?: object): TimedDecorator {
  assertTarget(target, '@timed');
  // Bound lazily, on the first call: defining a class creates no series.
  let bound: BoundTimer | undefined = target instanceof BoundTimer ? target : undefined;
  const resolve = (): BoundTimer => {
    bound ??= new BoundTimer(
      target as MetricLike | TimedChild,
      labels as AnyLabels | undefined,
      undefined,
      undefined,
    );
    return bound;
  };
  return methodDecorator((method, name) => wrapMethod(method, name, resolve), invalidUse);
}

function invalidUse(what: string): TimersError {
  return new TimersError(
    'TIMERS_INVALID_DECORATOR',
    `@timed decorates methods (sync, async or generator), got ${what}; time a getter's work with measure() inside it`,
  );
}

function wrapMethod(method: unknown, name: string, resolve: () => BoundTimer): Method {
  if (typeof method !== 'function') throw invalidUse(describeValue(method));
  const original = method as Method;
  const tag = Object.prototype.toString.call(original);
  let wrapped: Method;
  if (tag === '[object GeneratorFunction]') {
    wrapped = function* timedGenerator(this: unknown, ...args: never[]) {
      const timer = new Timer(resolve(), undefined, undefined);
      try {
        return yield* Reflect.apply(original, this, args) as Generator<unknown, unknown, unknown>;
      } catch (error) {
        timer.fail();
        throw error;
      } finally {
        timer.end();
      }
    };
  } else if (tag === '[object AsyncGeneratorFunction]') {
    wrapped = async function* timedAsyncGenerator(this: unknown, ...args: never[]) {
      const timer = new Timer(resolve(), undefined, undefined);
      try {
        return yield* Reflect.apply(original, this, args) as AsyncGenerator<
          unknown,
          unknown,
          unknown
        >;
      } catch (error) {
        timer.fail();
        throw error;
      } finally {
        timer.end();
      }
    };
  } else {
    wrapped = function timedMethod(this: unknown, ...args: never[]) {
      return timeCall(new Timer(resolve(), undefined, undefined), original, this, args);
    };
  }
  Object.defineProperty(wrapped, 'name', { value: name, configurable: true });
  return wrapped;
}
