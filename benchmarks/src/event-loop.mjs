// Longest event-loop block while `metrics()` renders 50,000 counter series (50 counters × 1,000
// label sets), measured two ways at once: perf_hooks.monitorEventLoopDelay (resolution 1 ms) and
// the largest gap between the turns of a setImmediate ping loop running during the render.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Registry } from '@vigil/core';
import client from 'prom-client';
import { LABEL_NAMES, METHODS, median, prng } from './lib/data.mjs';
import { printJson } from './lib/output.mjs';

const METRICS = 50;
const ROUTES = 50;
const STATUSES = ['200', '201', '400', '404', '500'];
const RENDERS = 5;

function fill(vigil, prom) {
  const random = prng(5);
  for (let m = 0; m < METRICS; m++) {
    const name = `app_events_${m}_total`;
    const v = vigil.counter({ name, help: `Events ${m}`, labelNames: LABEL_NAMES });
    const p = new client.Counter({
      name,
      help: `Events ${m}`,
      labelNames: LABEL_NAMES,
      registers: [prom],
    });
    for (const method of METHODS) {
      for (let r = 0; r < ROUTES; r++) {
        for (const status of STATUSES) {
          const labels = { method, route: `/api/resource${r}/:id`, status };
          const amount = Math.floor(random() * 100_000);
          v.inc(labels, amount);
          p.inc(labels, amount);
        }
      }
    }
  }
}

/** Renders once while measuring; returns the longest block seen by each method, in ms. */
async function measure(render) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let maxGap = 0;
  let running = true;
  const ping = () => {
    const now = performance.now();
    if (now - last > maxGap) maxGap = now - last;
    last = now;
    if (running) setImmediate(ping);
  };
  histogram.enable();
  setImmediate(ping);
  // Let the monitor and the ping loop settle before the render starts.
  await new Promise((resolve) => setTimeout(resolve, 20));
  // reset() forgets the monitor's previous tick, so the first delay after it is not recorded:
  // let it tick again before the render (else a render that blocks in one piece goes unseen).
  histogram.reset();
  await new Promise((resolve) => setTimeout(resolve, 5));
  maxGap = 0;
  const start = performance.now();
  const text = await render();
  const renderMs = performance.now() - start;
  // One more turn, so that a block that ends with the render is seen by both methods.
  await new Promise((resolve) => setTimeout(resolve, 5));
  running = false;
  histogram.disable();
  return {
    renderMs,
    pingMaxMs: maxGap,
    // The histogram holds delays beyond the 1 ms timer, in ns.
    monitorMaxMs: histogram.max / 1e6,
    bytes: text.length,
  };
}

export async function eventLoop() {
  const vigil = new Registry();
  const prom = new client.Registry();
  fill(vigil, prom);
  const libraries = {
    vigil: () => vigil.metrics(),
    'prom-client': () => prom.metrics(),
  };
  for (const render of Object.values(libraries)) await render(); // warm-up
  // The libraries alternate render by render (Vigil, prom-client, prom-client, Vigil, …), so
  // that both see the same machine state and the same heap.
  const runs = { vigil: [], 'prom-client': [] };
  for (let i = 0; i < RENDERS; i++) {
    const order = i % 2 === 0 ? ['vigil', 'prom-client'] : ['prom-client', 'vigil'];
    for (const library of order) runs[library].push(await measure(libraries[library]));
  }
  const results = {};
  for (const [library, measured] of Object.entries(runs)) {
    results[library] = {
      series: METRICS * METHODS.length * ROUTES * STATUSES.length,
      renderMs: median(measured.map((r) => r.renderMs)),
      pingMaxMs: median(measured.map((r) => r.pingMaxMs)),
      monitorMaxMs: median(measured.map((r) => r.monitorMaxMs)),
      worstPingMaxMs: Math.max(...measured.map((r) => r.pingMaxMs)),
      bytes: measured[0].bytes,
    };
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printJson(await eventLoop());
}
