// Timer hot path, Vigil vs prom-client, in one process: start + stop of a timer on a bound
// histogram child. Each task call runs BATCH timers; ops/s = BATCH / mean task time.
import { Registry } from '@vigil/core';
import { bindTimer, startTimer, timer } from '@vigil/timers';
import client from 'prom-client';
import { Bench } from 'tinybench';
import { LABEL_NAMES } from './lib/data.mjs';
import { printJson } from './lib/output.mjs';

const BATCH = 1024;
const LABELS = { method: 'GET', route: '/users/:id', status: '200' };

export async function timers({ time = 1000, warmupTime = 300 } = {}) {
  const vigil = new Registry();
  const vHistogram = vigil.histogram({ name: 'op_seconds', help: 'h', labelNames: LABEL_NAMES });
  const vChild = vHistogram.labels(LABELS);
  const vBound = bindTimer(vHistogram, LABELS);

  const prom = new client.Registry();
  const pHistogram = new client.Histogram({
    name: 'op_seconds',
    help: 'h',
    labelNames: LABEL_NAMES,
    registers: [prom],
  });
  const pChild = pHistogram.labels(LABELS);

  const tasks = {
    vigilTimer: () => {
      for (let i = 0; i < BATCH; i++) timer(vChild).end();
    },
    vigilTimerUsing: () => {
      // What `using t = timer(child)` compiles to: the disposer ends the timer.
      for (let i = 0; i < BATCH; i++) timer(vChild)[Symbol.dispose]();
    },
    vigilBoundTimer: () => {
      for (let i = 0; i < BATCH; i++) timer(vBound).end();
    },
    vigilStartTimer: () => {
      for (let i = 0; i < BATCH; i++) startTimer(vChild)();
    },
    promClientStartTimer: () => {
      for (let i = 0; i < BATCH; i++) pChild.startTimer()();
    },
  };

  const bench = new Bench({ time, warmupTime, throws: true });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();
  const opsPerSecond = {};
  for (const task of bench.tasks) {
    if (task.result.state !== 'completed') throw new Error(`${task.name}: ${task.result.state}`);
    opsPerSecond[task.name] = (BATCH * 1000) / task.result.period;
  }
  // Sanity: both libraries really recorded.
  const promCount = (await pHistogram.get()).values.find(
    (v) => v.metricName === 'op_seconds_count',
  );
  if (!(vHistogram.get(LABELS).count > 0) || !(promCount?.value > 0)) {
    throw new Error('a library recorded nothing');
  }
  return opsPerSecond;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printJson(await timers(process.argv.includes('--quick') ? { time: 200, warmupTime: 50 } : {}));
}
