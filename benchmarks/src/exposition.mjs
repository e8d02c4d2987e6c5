// Time of one `metrics()` render (Prometheus text), Vigil vs prom-client, same series and values,
// timed in alternating rounds in one process.
import { Registry } from '@vigil/core';
import client from 'prom-client';
import { COMBOS, LABEL_NAMES, latencies, median, prng } from './lib/data.mjs';
import { printJson } from './lib/output.mjs';

/** 100 counters × 50 label sets = 5,000 series, the same counts in both libraries. */
function counters(vigil, prom) {
  const random = prng(3);
  for (let m = 0; m < 100; m++) {
    const name = `app_counter_${m}_total`;
    const v = vigil.counter({ name, help: `Counter ${m}`, labelNames: LABEL_NAMES });
    const p = new client.Counter({
      name,
      help: `Counter ${m}`,
      labelNames: LABEL_NAMES,
      registers: [prom],
    });
    for (let s = 0; s < 50; s++) {
      const [method, route, status] = COMBOS[s];
      const amount = Math.floor(random() * 100_000);
      v.inc({ method, route, status }, amount);
      p.inc({ method, route, status }, amount);
    }
  }
}

/** One histogram (default buckets) with 2,000 series: 4 methods × 50 routes × 10 statuses. */
function histogram(vigil, prom) {
  const v = vigil.histogram({ name: 'http_seconds', help: 'Latency', labelNames: LABEL_NAMES });
  const p = new client.Histogram({
    name: 'http_seconds',
    help: 'Latency',
    labelNames: LABEL_NAMES,
    registers: [prom],
  });
  const values = latencies(2000 * 5, 4);
  const statuses = ['200', '201', '204', '301', '304', '400', '401', '404', '500', '503'];
  let k = 0;
  for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
    for (let r = 0; r < 50; r++) {
      for (const status of statuses) {
        const labels = { method, route: `/api/resource${r}/:id`, status };
        for (let j = 0; j < 5; j++) {
          v.observe(labels, values[k]);
          p.observe(labels, values[k]);
          k++;
        }
      }
    }
  }
}

function sampleLines(text) {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
}

/** Mean ms of one render over about `ms` of back-to-back renders (at least 3). */
async function timeRenders(render, ms) {
  const start = performance.now();
  let renders = 0;
  let now = start;
  while (renders < 3 || now - start < ms) {
    await render();
    renders++;
    now = performance.now();
  }
  return (now - start) / renders;
}

/**
 * Per case: a warm-up of each library, then `rounds` rounds that time each library for
 * `slice` ms, in alternating order (Vigil first, then prom-client first, …), so that both
 * see the same machine state. Per library: the median over rounds of the mean render time;
 * `ratio`: the median of each round's prom-client ÷ Vigil.
 */
export async function exposition({ rounds = 10, slice = 150, warmUp = 300 } = {}) {
  const setups = { counters5k: counters, histogram2k: histogram };
  const results = {};
  for (const [row, setup] of Object.entries(setups)) {
    const vigil = new Registry();
    const prom = new client.Registry();
    setup(vigil, prom);
    const samples = sampleLines(await vigil.metrics());
    if (samples !== sampleLines(await prom.metrics())) {
      throw new Error(`${row}: the libraries render different sample counts`);
    }
    const libraries = { vigil: () => vigil.metrics(), 'prom-client': () => prom.metrics() };
    for (const render of Object.values(libraries)) await timeRenders(render, warmUp);
    const times = { vigil: [], 'prom-client': [] };
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? ['vigil', 'prom-client'] : ['prom-client', 'vigil'];
      for (const library of order)
        times[library].push(await timeRenders(libraries[library], slice));
    }
    results[row] = {
      samples,
      vigil: median(times.vigil),
      'prom-client': median(times['prom-client']),
      ratio: median(times.vigil.map((v, i) => times['prom-client'][i] / v)),
    };
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printJson(
    await exposition(process.argv.includes('--quick') ? { rounds: 2, slice: 50, warmUp: 50 } : {}),
  );
}
