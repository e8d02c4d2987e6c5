import {
  ExponentialSketch,
  type MetricSnapshot,
  type RegistrySnapshot,
  SNAPSHOT_VERSION,
  type SummarySeriesSnapshot,
  VigilError,
} from '@vigil/core';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const UNIT = /^[a-zA-Z0-9_]+$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary']);
/** How a non-finite number travels through JSON (cluster IPC): see `encodeNonFinite`. */
const NON_FINITE: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  '+Inf': Number.POSITIVE_INFINITY,
  '-Inf': Number.NEGATIVE_INFINITY,
};

/** The sketches `readSnapshot` parsed, so that merging does not parse them again. */
const parsedSketches = new WeakMap<SummarySeriesSnapshot, ExponentialSketch>();

/**
 * @internal The sketch of a summary series, the caller's to change: the one `readSnapshot` parsed
 * (taken, so that merging the same snapshot again parses it anew), else parsed (and checked) now.
 */
export function takeSketch(series: SummarySeriesSnapshot): ExponentialSketch {
  const parsed = parsedSketches.get(series);
  if (parsed === undefined) return ExponentialSketch.fromJSON(series.sketch);
  parsedSketches.delete(series);
  return parsed;
}

/**
 * Checks a snapshot that came from another process, trusting nothing: its version, every
 * metric's name, type, labels and values, and every summary's sketch (with
 * `ExponentialSketch.fromJSON`). Numbers spelt `'NaN'`, `'+Inf'` or `'-Inf'` (how non-finite
 * values cross JSON IPC) and a gauge's `null` (JSON's NaN) become numbers again, in place.
 *
 * @throws VigilError `INVALID_VALUE` naming the first field that is wrong.
 */
export function readSnapshot(data: unknown): RegistrySnapshot {
  try {
    return readRoot(data);
  } catch (error) {
    throw new VigilError('INVALID_VALUE', `Invalid snapshot: ${(error as Error).message}`);
  }
}

function readRoot(data: unknown): RegistrySnapshot {
  const root = record(data, 'snapshot');
  if (root['version'] !== SNAPSHOT_VERSION) {
    throw invalid(
      `version should be ${SNAPSHOT_VERSION} (both sides should run compatible @vigil/core versions), got ${show(root['version'])}`,
    );
  }
  finite(root['timestamp'], 'timestamp');
  const metrics = array(root['metrics'], 'metrics');
  const names = new Set<string>();
  for (let m = 0; m < metrics.length; m++) {
    const metric = readMetric(metrics[m], `metrics[${m}]`);
    if (names.has(metric.name)) throw invalid(`metrics[${m}]: '${metric.name}' appears twice`);
    names.add(metric.name);
  }
  return data as RegistrySnapshot;
}

function readMetric(data: unknown, at: string): MetricSnapshot {
  const metric = record(data, at);
  const name = metric['name'];
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
    throw invalid(`${at}.name should be a metric name, got ${show(name)}`);
  }
  const where = `${at} (${name})`;
  if (typeof metric['help'] !== 'string') throw invalid(`${where}.help should be a string`);
  const unit = metric['unit'];
  if (unit !== undefined && (typeof unit !== 'string' || !UNIT.test(unit))) {
    throw invalid(`${where}.unit should be a word such as 'seconds', got ${show(unit)}`);
  }
  const type = metric['type'];
  if (typeof type !== 'string' || !TYPES.has(type)) {
    throw invalid(
      `${where}.type should be counter, gauge, histogram or summary, got ${show(type)}`,
    );
  }
  // The label a histogram's buckets or a summary's quantiles take: a series must not have it.
  const reserved = type === 'histogram' ? 'le' : type === 'summary' ? 'quantile' : undefined;
  for (const label of array(metric['labelNames'], `${where}.labelNames`)) {
    if (typeof label !== 'string' || !LABEL_NAME.test(label) || label === reserved) {
      throw invalid(`${where}.labelNames should hold label names, got ${show(label)}`);
    }
  }
  const series = array(metric['series'], `${where}.series`);
  let readOne: (series: Record<string, unknown>) => void;
  if (type === 'histogram') {
    const bounds = array(metric['bounds'], `${where}.bounds`);
    for (let b = 0; b < bounds.length; b++) {
      const bound = finite(bounds[b], `${where}.bounds[${b}]`);
      if (b > 0 && !(bound > (bounds[b - 1] as number))) {
        throw invalid(`${where}.bounds should increase, got ${bound} after ${show(bounds[b - 1])}`);
      }
    }
    const buckets = bounds.length + 1;
    readOne = (one) => readHistogramSeries(one, buckets);
  } else if (type === 'summary') {
    const quantiles = array(metric['quantiles'], `${where}.quantiles`);
    for (const q of quantiles) {
      if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
        throw invalid(`${where}.quantiles should be numbers in [0, 1], got ${show(q)}`);
      }
    }
    readOne = readSummarySeries;
  } else if (type === 'gauge') {
    readOne = (one) => {
      one['value'] = gaugeValue(one['value'], '.value');
    };
  } else {
    readOne = (one) => {
      count(one['value'], '.value');
      finite(one['created'], '.created');
    };
  }
  for (let s = 0; s < series.length; s++) {
    // Messages are built only on failure: a snapshot holds thousands of series.
    try {
      readOne(readSeries(series[s], reserved));
    } catch (error) {
      throw invalid(`${where}.series[${s}]${(error as Error).message}`);
    }
  }
  return metric as unknown as MetricSnapshot;
}

/** Label names already checked: a snapshot repeats a few names on thousands of series. */
const validLabelNames = new Set<string>();
const MAX_REMEMBERED_NAMES = 4096;

function isLabelName(name: string): boolean {
  if (validLabelNames.has(name)) return true;
  if (!LABEL_NAME.test(name) || name.startsWith('__')) return false;
  if (validLabelNames.size < MAX_REMEMBERED_NAMES) validLabelNames.add(name);
  return true;
}

// The series readers' messages continue the series' path (`.value should…`).

function readSeries(data: unknown, reserved: string | undefined): Record<string, unknown> {
  const series = record(data, '');
  const labels = record(series['labels'], '.labels');
  for (const name in labels) {
    if (typeof labels[name] !== 'string' || !isLabelName(name) || name === reserved) {
      throw invalid(
        `.labels should map label names to strings, got ${show(labels[name])} for ${show(name)}`,
      );
    }
  }
  return series;
}

function readHistogramSeries(series: Record<string, unknown>, buckets: number): void {
  const counts = array(series['counts'], '.counts');
  if (counts.length !== buckets) {
    throw invalid(
      `.counts should have ${buckets} entries (the bounds and +Inf), got ${counts.length}`,
    );
  }
  for (let b = 0; b < counts.length; b++) {
    const value = counts[b];
    if (typeof value !== 'number' || !(value >= 0 && value < Number.POSITIVE_INFINITY)) {
      count(value, `.counts[${b}]`);
    }
  }
  series['sum'] = number(series['sum'], '.sum');
  count(series['count'], '.count');
  finite(series['created'], '.created');
}

function readSummarySeries(series: Record<string, unknown>): void {
  series['sum'] = number(series['sum'], '.sum');
  count(series['count'], '.count');
  finite(series['created'], '.created');
  let sketch: ExponentialSketch;
  try {
    sketch = ExponentialSketch.fromJSON(series['sketch']);
  } catch (error) {
    throw invalid(`.sketch: ${(error as Error).message}`);
  }
  parsedSketches.set(series as unknown as SummarySeriesSnapshot, sketch);
}

/**
 * @internal A copy of `snapshot` with its non-finite values spelt as strings, so that they survive
 * JSON (cluster IPC serialises messages as JSON, which turns them into `null`). The snapshot
 * itself is left alone: its objects may be a collector's own.
 */
export function encodeNonFinite(snapshot: RegistrySnapshot): RegistrySnapshot {
  const metrics = snapshot.metrics.map((metric) => {
    if (metric.type === 'counter') return metric;
    const field = metric.type === 'gauge' ? 'value' : 'sum';
    const series = metric.series as unknown as ReadonlyArray<Record<string, unknown>>;
    if (series.every((one) => Number.isFinite(one[field]))) return metric;
    const spelt = series.map((one) =>
      Number.isFinite(one[field]) ? one : { ...one, [field]: spell(one[field] as number) },
    );
    return { ...metric, series: spelt } as unknown as MetricSnapshot;
  });
  return { ...snapshot, metrics };
}

function spell(value: number): number {
  const text = Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  return text as unknown as number;
}

// The checks below throw `${at} should be …`; `at` is a whole path, or the rest of a series' one.

function gaugeValue(value: unknown, at: string): number {
  return value === null ? Number.NaN : number(value, at);
}

function number(value: unknown, at: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && Object.hasOwn(NON_FINITE, value)) {
    return NON_FINITE[value] as number;
  }
  throw invalid(`${at} should be a number, got ${show(value)}`);
}

function finite(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(`${at} should be a finite number, got ${show(value)}`);
  }
  return value;
}

function count(value: unknown, at: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < Number.POSITIVE_INFINITY)) {
    throw invalid(`${at} should be a finite number ≥ 0, got ${show(value)}`);
  }
  return value;
}

function record(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${at} should be an object, got ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

function array(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(`${at} should be an array, got ${show(value)}`);
  return value;
}

/** A problem found while reading; `readSnapshot` turns it into one `VigilError`. */
function invalid(message: string): Error {
  return new Error(message);
}

// Input may be huge or hostile: name its type rather than printing it.
function show(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.length <= 40 ? `'${value}'` : 'a long string';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return value === null ? 'null' : typeof value;
}
