// Runs one Vigil case in a loop for a few seconds under the V8 CPU profiler and prints the
// functions with the most self time (for whoever optimises @vigil/core):
//   node src/profile.mjs inc3|observe3|summaryWindowed|render5k|render50k [seconds=3]
// The full profile is written to benchmarks/profiles/<case>.cpuprofile (open it in Chrome
// DevTools › Performance, or VS Code).
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from '@vigil/core';
import { COMBOS, LABEL_NAMES, labelSets, latencies } from './lib/data.mjs';

const [name = 'inc3', seconds = '3'] = process.argv.slice(2);
const { sets } = labelSets(1024);
const values = latencies(1024);
const registry = new Registry();

function counters(metrics, perMetric) {
  for (let m = 0; m < metrics; m++) {
    const c = registry.counter({ name: `c_${m}_total`, help: 'h', labelNames: LABEL_NAMES });
    for (let s = 0; s < perMetric; s++) {
      const [method, , status] = COMBOS[s % COMBOS.length];
      c.inc({ method, route: `/api/resource${s}/:id`, status }, s * 7);
    }
  }
}

const cases = {
  inc3: () => {
    const c = registry.counter({ name: 'c_total', help: 'h', labelNames: LABEL_NAMES });
    return () => {
      for (let i = 0; i < 1024; i++) c.inc(sets[i]);
    };
  },
  observe3: () => {
    const h = registry.histogram({ name: 'h_seconds', help: 'h', labelNames: LABEL_NAMES });
    return () => {
      for (let i = 0; i < 1024; i++) h.observe(sets[i], values[i]);
    };
  },
  summaryWindowed: () => {
    const s = registry.summary({ name: 's', help: 'h', quantiles: [0.5, 0.9, 0.99] });
    return () => {
      for (let i = 0; i < 1024; i++) s.observe(values[i]);
    };
  },
  render5k: () => {
    counters(100, 50);
    return () => registry.metrics();
  },
  render50k: () => {
    counters(50, 1000);
    return () => registry.metrics();
  },
};

if (!(name in cases)) throw new Error(`unknown case ${name}; one of ${Object.keys(cases)}`);
const run = cases[name]();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const end = performance.now() + Number(seconds) * 1000;
while (performance.now() < end) await run();
const { profile } = await session.post('Profiler.stop');

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'profiles');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));

const self = new Map();
const dt = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
let total = 0;
for (const node of profile.nodes) {
  const time = dt.get(node.id) ?? 0;
  total += time;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + time);
}
const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 15);
for (const [key, time] of top)
  console.log(`${((100 * time) / total).toFixed(1).padStart(5)} %  ${key}`);
