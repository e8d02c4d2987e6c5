// Quantile accuracy on 1,000,000 seeded samples from three distributions: relative error of
// Vigil's summary, of ten Vigil sketches merged, of prom-client's summary (windowless t-digest)
// and of prom-client's default-bucket histogram read as Prometheus' histogram_quantile reads it.
// Exact quantile: nearest rank, the sorted sample at rank ceil(q·n).
import { ExponentialSketch, Registry } from '@vigil/core';
import client from 'prom-client';
import { normal, prng } from './lib/data.mjs';
import { printJson } from './lib/output.mjs';

const N = 1_000_000;
const QUANTILES = [0.5, 0.95, 0.99, 0.999];
const SHARDS = 10;
const PROM_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The three distributions, in seconds. */
export const DISTRIBUTIONS = {
  // Uniform on [0, 1) s.
  uniform: (seed) => prng(seed),
  // Log-normal: median 50 ms, sigma 1.
  lognormal: (seed) => {
    const gauss = normal(prng(seed));
    return () => Math.exp(Math.log(0.05) + gauss());
  },
  // Bimodal: 80 % fast (normal 20 ms ± 4 ms), 20 % slow (normal 400 ms ± 80 ms), floored at 0.1 ms.
  bimodal: (seed) => {
    const random = prng(seed);
    const gauss = normal(prng(seed + 1));
    return () => {
      const value = random() < 0.8 ? 0.02 + 0.004 * gauss() : 0.4 + 0.08 * gauss();
      return Math.max(0.0001, value);
    };
  },
};

/** histogram_quantile: linear interpolation inside the bucket holding rank q·count. */
export function histogramQuantile(q, bounds, cumulative) {
  const count = cumulative[cumulative.length - 1];
  const rank = q * count;
  let b = 0;
  while (b < cumulative.length - 1 && cumulative[b] < rank) b++;
  // In the +Inf bucket Prometheus returns the highest finite bound.
  if (b === bounds.length) return bounds[bounds.length - 1];
  const start = b === 0 ? 0 : bounds[b - 1];
  const below = b === 0 ? 0 : cumulative[b - 1];
  const inBucket = cumulative[b] - below;
  return start + (bounds[b] - start) * ((rank - below) / inBucket);
}

async function one(name, make) {
  const next = make(name.length * 7919);
  const samples = new Float64Array(N);
  for (let i = 0; i < N; i++) samples[i] = next();

  const sorted = Float64Array.from(samples).sort();
  const exact = QUANTILES.map((q) => sorted[Math.max(1, Math.ceil(q * N)) - 1]);

  // Vigil summary (windowless), read from its snapshot as an exposition would.
  const vigil = new Registry();
  const summary = vigil.summary({ name: 's', help: 'h', quantiles: QUANTILES, maxAge: false });
  for (let i = 0; i < N; i++) summary.observe(samples[i]);
  const vigilSummary = vigil.snapshot().metrics[0].series[0].quantiles;

  // Ten shards (round robin), merged.
  const shards = Array.from({ length: SHARDS }, () => new ExponentialSketch());
  for (let i = 0; i < N; i++) shards[i % SHARDS].add(samples[i]);
  const merged = new ExponentialSketch();
  for (const shard of shards) merged.merge(shard);
  const vigilMerged = QUANTILES.map((q) => merged.quantile(q));

  // prom-client summary (windowless) and histogram (default buckets).
  const prom = new client.Registry();
  const promSummary = new client.Summary({
    name: 's',
    help: 'h',
    percentiles: QUANTILES,
    registers: [prom],
  });
  const promHistogram = new client.Histogram({ name: 'h', help: 'h', registers: [prom] });
  for (let i = 0; i < N; i++) {
    promSummary.observe(samples[i]);
    promHistogram.observe(samples[i]);
  }
  const summaryValues = (await promSummary.get()).values;
  const promSummaryQ = QUANTILES.map(
    (q) => summaryValues.find((v) => v.labels.quantile === q).value,
  );
  const histogramValues = (await promHistogram.get()).values;
  const cumulative = [...PROM_BUCKETS, '+Inf'].map(
    (le) => histogramValues.find((v) => v.metricName === 'h_bucket' && v.labels.le === le).value,
  );
  const promHistogramQ = QUANTILES.map((q) => histogramQuantile(q, PROM_BUCKETS, cumulative));

  const error = (estimates) => estimates.map((e, i) => Math.abs(e - exact[i]) / exact[i]);
  return {
    exact,
    vigilSummary: error(vigilSummary),
    vigilMerged: error(vigilMerged),
    promSummary: error(promSummaryQ),
    promHistogram: error(promHistogramQ),
  };
}

export async function accuracy() {
  const results = { quantiles: QUANTILES, samples: N, shards: SHARDS };
  for (const [name, make] of Object.entries(DISTRIBUTIONS)) results[name] = await one(name, make);
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printJson(await accuracy());
}
