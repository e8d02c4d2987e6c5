// The report's sections for @vigil/timers and @vigil/resilience (timers.mjs, resilience.mjs).
import { fmtOps, fmtRatio } from './format.mjs';

/** The timer and resilience targets of their issue, on the medians. */
export function resilienceTargets(m) {
  const t = [];
  const atLeast = (name, value, min) =>
    t.push({ name, value: fmtRatio(value), target: `≥ ${min}×`, pass: value >= min });
  const tm = m.timers;
  const r = m.resilience;
  atLeast(
    '`timer(child)` start + `end()` vs prom-client `startTimer()` + end',
    tm.vigilTimer / tm.promClientStartTimer,
    3,
  );
  atLeast('`breaker.execute(asyncNoop)` vs opossum `fire()`', r.vigilBreaker / r.opossumBreaker, 4);
  atLeast(
    '`breaker.execute(asyncNoop)` vs cockatiel `execute`',
    r.vigilBreaker / r.cockatielBreaker,
    1.5,
  );
  const cost = r.floor / r.vigilBreaker;
  t.push({
    name: '`breaker.execute(asyncNoop)` cost vs a bare `await asyncNoop()`',
    value: fmtRatio(cost),
    target: '≤ 2×',
    pass: cost <= 2,
  });
  atLeast(
    '`wrap(retry, breaker, timeout).execute(asyncNoop)` vs cockatiel `wrap`',
    r.vigilWrap / r.cockatielWrap,
    3,
  );
  return t;
}

/** `rows`: [figure, label, figure it is compared with (Vigil's), or undefined]. */
function opsTable(part, rows, note) {
  const lines = [
    '| library | ops/s (median) | min – max over rounds | Vigil ÷ library |',
    '|---|---:|---:|---:|',
  ];
  for (const [key, label, vigilKey] of rows) {
    const v = part.median[key];
    const [lo, hi] = part.range[key];
    const ratio = vigilKey === undefined ? '' : fmtRatio(part.median[vigilKey] / v);
    lines.push(`| ${label} | ${fmtOps(v)} | ${fmtOps(lo)} – ${fmtOps(hi)} | ${ratio} |`);
  }
  return `${lines.join('\n')}\n${note ? `\n${note}\n` : ''}`;
}

export function renderResilience(m, range) {
  const out = [];
  const timers = { median: m.timers, range: range.timers };
  out.push('## Timers: start + stop on a bound histogram child\n');
  out.push(
    'tinybench 6, 1 s per task after 0.3 s warm-up; each task call runs 1,024 timers on the same child (`histogram.labels({ method, route, status })`, default buckets); ops/s = 1,024 ÷ mean call time.\n',
  );
  out.push(
    opsTable(
      timers,
      [
        ['vigilTimer', 'Vigil `timer(child).end()`'],
        ['promClientStartTimer', 'prom-client `child.startTimer()()`', 'vigilTimer'],
        ['vigilTimerUsing', 'Vigil `using t = timer(child)` (the disposer) (info)'],
        ['vigilBoundTimer', 'Vigil `timer(bindTimer(histogram, labels)).end()` (info)'],
        ['vigilStartTimer', 'Vigil `startTimer(child)()` (info)'],
      ],
      'The "(info)" lines are the other ways to time a block with `@vigil/timers`.',
    ),
  );
  const res = { median: m.resilience, range: range.resilience };
  out.push(
    '## Resilience: a call through a breaker, and through `wrap(retry, breaker, timeout)`\n',
  );
  out.push(
    "tinybench 6, 1 s per task after 0.3 s warm-up; each task call awaits 256 calls of an `async function asyncNoop() {}` in sequence; ops/s = 256 ÷ mean call time. Breakers are closed (consecutive-failure policy, threshold 5, reset 10 s) and no call fails. The composed policies are a retry (3 attempts, exponential backoff), a breaker and a 1 s cooperative timeout, in that order, in both libraries. opossum's default options start a 10 s timeout timer on every `fire()`; the line without it is given for information.\n",
  );
  out.push(
    opsTable(res, [
      ['floor', 'floor: bare `await asyncNoop()`'],
      ['vigilBreaker', 'Vigil `breaker.execute(asyncNoop)`'],
      ['cockatielBreaker', 'cockatiel 3 `breaker.execute(asyncNoop)`', 'vigilBreaker'],
      ['opossumBreaker', 'opossum 9 `breaker.fire()` (default options)', 'vigilBreaker'],
      ['opossumBreakerNoTimeout', 'opossum 9 `fire()`, `timeout: false` (info)', 'vigilBreaker'],
      ['vigilWrap', 'Vigil `wrap(retry, breaker, timeout).execute(asyncNoop)`'],
      [
        'cockatielWrap',
        'cockatiel 3 `wrap(retry, breaker, timeout).execute(asyncNoop)`',
        'vigilWrap',
      ],
    ]),
  );
  return out.join('\n');
}
