// Heap per series: 10,000 distinct label sets recorded once (or `observations` times) into one
// metric of a fresh registry. Run one (library, type, shape) per process with --expose-gc:
//   node --expose-gc src/heap.mjs vigil|prom-client counter|histogram|summary dense|sparse \
//     [observations=1] [kept|transient]
// Two shapes of 10,000 label sets {method, route, status}:
//   dense:  4 methods × 500 routes × 5 statuses (a cross product: many series share prefixes)
//   sparse: method i % 4, a route unique to each series, status i % 5 (an id-like label)
// Label strings and objects are built the same way for every library, and either kept (built
// before the baseline and kept alive: EXCLUDED for every library, what is counted is what the
// library itself allocates per series) or transient (built after the baseline and dropped: each
// library is charged for the label strings and objects it retains). See heapPerSeries.
// Memory = V8 heap without its code spaces (JIT code comes and goes by ±200 KB between runs)
// + external (typed arrays' buffers live outside the V8 heap).
import v8 from 'node:v8';
import { Registry } from '@vigil/core';
import client from 'prom-client';
import { LABEL_NAMES, latencies, METHODS } from './lib/data.mjs';
import { printJson } from './lib/output.mjs';

const SERIES = 10_000;
const QUANTILES = [0.5, 0.9, 0.99];
const STATUSES = ['200', '201', '400', '404', '500'];

/**
 * 10,000 label objects; every value string is built here, the same way for every library. The
 * JSON round trip makes every string flat: a concatenated (cons) string is flattened when a
 * library first hashes it, which would free its pieces in the middle of the measurement.
 */
function makeLabels(shape, prefix = '/api/v1') {
  return JSON.parse(JSON.stringify(buildLabels(shape, prefix)));
}

function buildLabels(shape, prefix) {
  const sets = [];
  if (shape === 'dense') {
    for (const method of METHODS) {
      for (let r = 0; r < 500; r++) {
        for (const status of STATUSES) {
          sets.push({
            method: `${method}`,
            route: `${prefix}/resource${r}/:id`,
            status: `${status}`,
          });
        }
      }
    }
  } else if (shape === 'sparse') {
    for (let i = 0; i < SERIES; i++) {
      sets.push({
        method: `${METHODS[i % 4]}`,
        route: `${prefix}/items/${i}`,
        status: `${STATUSES[i % 5]}`,
      });
    }
  } else {
    throw new Error(`unknown shape ${shape}`);
  }
  return sets;
}

const create = {
  vigil: {
    counter: (r) => r.counter({ name: 'c_total', help: 'h', labelNames: LABEL_NAMES }),
    histogram: (r) => r.histogram({ name: 'h_seconds', help: 'h', labelNames: LABEL_NAMES }),
    summary: (r) =>
      r.summary({
        name: 's_seconds',
        help: 'h',
        labelNames: LABEL_NAMES,
        quantiles: QUANTILES,
        maxAge: '10m',
        ageBuckets: 5,
      }),
  },
  'prom-client': {
    counter: (r) =>
      new client.Counter({ name: 'c_total', help: 'h', labelNames: LABEL_NAMES, registers: [r] }),
    histogram: (r) =>
      new client.Histogram({
        name: 'h_seconds',
        help: 'h',
        labelNames: LABEL_NAMES,
        registers: [r],
      }),
    summary: (r) =>
      new client.Summary({
        name: 's_seconds',
        help: 'h',
        labelNames: LABEL_NAMES,
        percentiles: QUANTILES,
        maxAgeSeconds: 600,
        ageBuckets: 5,
        registers: [r],
      }),
  },
};

const CODE_SPACES = new Set(['code_space', 'code_large_object_space']);

function gcAndMeasure() {
  for (let i = 0; i < 4; i++) global.gc();
  let heap = 0;
  for (const space of v8.getHeapSpaceStatistics()) {
    if (!CODE_SPACES.has(space.space_name)) heap += space.space_used_size;
  }
  return { heap, external: process.memoryUsage().external };
}

/**
 * `labels`: 'kept' builds the label objects before the baseline and keeps them alive (label
 * strings and objects are excluded for every library); 'transient' builds them after the
 * baseline and drops them before the final measurement, as an application that builds a labels
 * object per request would: each library is then charged for the label strings and objects it
 * retains itself.
 */
export function heapPerSeries(library, type, shape, observations = 1, labels = 'kept') {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
  let sets = labels === 'kept' ? makeLabels(shape) : undefined;
  const values = latencies(SERIES * observations, 6);
  // The registry and the (empty) metric exist before the baseline: only series are counted.
  // Vigil's cardinality limit (default 2,000) is raised to hold every series.
  const fresh = () => {
    const registry =
      library === 'vigil' ? new Registry({ maxSeriesPerMetric: SERIES }) : new client.Registry();
    return create[library][type](registry);
  };
  const fill = (metric, labelSets) => {
    let k = 0;
    for (let i = 0; i < SERIES; i++) {
      for (let j = 0; j < observations; j++) {
        if (type === 'counter') metric.inc(labelSets[i]);
        else metric.observe(labelSets[i], values[k++]);
      }
    }
  };
  // A first fill, with other label strings (so that nothing measured can reuse its strings),
  // compiles the code paths and allocates the type feedback before the baseline.
  const warm = fresh();
  fill(warm, makeLabels(shape, '/warm-up'));
  const metric = fresh();
  const before = gcAndMeasure();
  if (labels === 'transient') {
    fill(metric, makeLabels(shape));
  } else {
    fill(metric, sets);
  }
  const after = gcAndMeasure();
  // Keep everything reachable until after the measurement.
  if (values.length === 0 || metric === warm || (labels === 'kept' && sets.length !== SERIES)) {
    throw new Error('unreachable');
  }
  sets = undefined;
  return {
    library,
    type,
    shape,
    observations,
    labels,
    heapPerSeries: (after.heap - before.heap) / SERIES,
    externalPerSeries: (after.external - before.external) / SERIES,
    totalPerSeries: (after.heap + after.external - before.heap - before.external) / SERIES,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [library = 'vigil', type = 'counter', shape = 'dense', observations = '1', labels] =
    process.argv.slice(2);
  printJson(heapPerSeries(library, type, shape, Number(observations), labels));
}
