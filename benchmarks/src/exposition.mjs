// Time of one `metrics()` render (Prometheus text), Vigil vs prom-client, same series and values.
import { Registry } from '@vigil/core';
import client from 'prom-client';
import { Bench } from 'tinybench';
import { COMBOS, LABEL_NAMES, latencies, prng } from './lib/data.mjs';
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

export async function exposition({ time = 1500, warmupTime = 300 } = {}) {
  const setups = { counters5k: counters, histogram2k: histogram };
  const bench = new Bench({ time, warmupTime, throws: true });
  const lines = {};
  for (const [row, setup] of Object.entries(setups)) {
    const vigil = new Registry();
    const prom = new client.Registry();
    setup(vigil, prom);
    lines[row] = {
      vigil: sampleLines(await vigil.metrics()),
      'prom-client': sampleLines(await prom.metrics()),
    };
    if (lines[row].vigil !== lines[row]['prom-client']) {
      throw new Error(`${row}: the libraries render different sample counts`);
    }
    bench.add(`${row}/vigil`, async () => {
      await vigil.metrics();
    });
    bench.add(`${row}/prom-client`, async () => {
      await prom.metrics();
    });
  }
  await bench.run();
  const results = {};
  for (const task of bench.tasks) {
    const [row, library] = task.name.split('/');
    if (task.result.state !== 'completed') throw new Error(`${task.name}: ${task.result.state}`);
    results[row] ??= { samples: lines[row].vigil };
    results[row][library] = task.result.period; // mean ms per render
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printJson(
    await exposition(process.argv.includes('--quick') ? { time: 200, warmupTime: 50 } : {}),
  );
}
