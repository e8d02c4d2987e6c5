// Resilience hot paths, Vigil vs opossum 9 vs cockatiel 3, in one process: a breaker's
// `execute(asyncNoop)` in the closed state, and `wrap(retry, breaker, timeout).execute(asyncNoop)`.
// The floor is a bare `await asyncNoop()`. Each task call awaits BATCH calls in sequence, so
// tinybench's own overhead is amortised; ops/s = BATCH / mean task time.
import { CircuitBreaker, Retry, Timeout, wrap } from '@vigil/resilience';
import {
  ConsecutiveBreaker,
  circuitBreaker,
  retry as cockatielRetry,
  timeout as cockatielTimeout,
  wrap as cockatielWrap,
  ExponentialBackoff,
  handleAll,
  TimeoutStrategy,
} from 'cockatiel';
import Opossum from 'opossum';
import { Bench } from 'tinybench';
import { printJson } from './lib/output.mjs';

const BATCH = 256;

async function asyncNoop() {}

function batch(call) {
  return async () => {
    for (let i = 0; i < BATCH; i++) await call();
  };
}

export async function resilience({ time = 1000, warmupTime = 300 } = {}) {
  const vBreaker = new CircuitBreaker({ failureThreshold: 5, resetTimeout: '10s' });
  const vWrapped = wrap(
    new Retry({ maxAttempts: 3 }),
    new CircuitBreaker({ failureThreshold: 5, resetTimeout: '10s' }),
    new Timeout({ duration: '1s' }),
  );

  const cBreaker = circuitBreaker(handleAll, {
    halfOpenAfter: 10_000,
    breaker: new ConsecutiveBreaker(5),
  });
  const cWrapped = cockatielWrap(
    cockatielRetry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }),
    circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }),
    cockatielTimeout(1000, TimeoutStrategy.Cooperative),
  );

  // opossum's default options start a 10 s timeout timer per call; `timeout: false` does not.
  const oDefault = new Opossum(asyncNoop, { resetTimeout: 10_000 });
  const oNoTimeout = new Opossum(asyncNoop, { resetTimeout: 10_000, timeout: false });

  const tasks = {
    floor: batch(() => asyncNoop()),
    vigilBreaker: batch(() => vBreaker.execute(asyncNoop)),
    cockatielBreaker: batch(() => cBreaker.execute(asyncNoop)),
    opossumBreaker: batch(() => oDefault.fire()),
    opossumBreakerNoTimeout: batch(() => oNoTimeout.fire()),
    vigilWrap: batch(() => vWrapped.execute(asyncNoop)),
    cockatielWrap: batch(() => cWrapped.execute(asyncNoop)),
  };

  const bench = new Bench({ time, warmupTime, throws: true });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();
  const opsPerSecond = {};
  for (const task of bench.tasks) {
    if (task.result.state !== 'completed') throw new Error(`${task.name}: ${task.result.state}`);
    opsPerSecond[task.name] = (BATCH * 1000) / task.result.period;
  }
  // Sanity: the breakers really ran the calls (a rejected call would look fast).
  if (vBreaker.state !== 'closed' || oDefault.stats.successes === 0) {
    throw new Error('a breaker did not run its calls');
  }
  oDefault.shutdown();
  oNoTimeout.shutdown();
  return opsPerSecond;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  printJson(await resilience(quick ? { time: 200, warmupTime: 50 } : {}));
}
