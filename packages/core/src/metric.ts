import type { BoundSeries, SeriesOwner } from './bound-series.js';
import { CreatedTimes } from './created-times.js';
import { ConfigurationError } from './errors.js';
import { escapeHelp, labelPair } from './escape.js';
import { keyCount, type Labels, labelValuesOf } from './label-values.js';
import type { MetricContext } from './metric-context.js';
import { assertLabelNames, assertMetricName } from './names.js';
import { SeriesIndex } from './series-index.js';
import type { MetricSnapshot } from './snapshot.js';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** Options every metric type takes. */
export interface MetricOptions<L extends string> {
  /** Metric name, Prometheus style: `[a-zA-Z_:][a-zA-Z0-9_:]*`, e.g. `http_requests_total`. */
  name: string;
  /** One line saying what the metric measures. */
  help: string;
  /** Names of the labels every observation carries, in a fixed order. */
  labelNames?: readonly L[];
  /** Unit (`seconds`, `bytes`); the name must then end with `_<unit>` (OpenMetrics rule). */
  unit?: string;
  /** Cardinality limit: series past it go to one `vigil_overflow="true"` series. */
  maxSeries?: number;
}

export const OVERFLOW_LABELS = 'vigil_overflow="true"';

/**
 * What every metric shares: validated definition, series ids and their label index, creation
 * times, bound children, the cardinality limit and the text-format headers. Series data lives in
 * typed arrays indexed by series id in each subclass, so recording is a field update.
 */
export abstract class Metric<L extends string = string> implements SeriesOwner {
  abstract readonly type: MetricType;
  readonly name: string;
  readonly help: string;
  readonly unit: string | undefined;
  readonly labelNames: readonly L[];
  readonly maxSeries: number;
  /** Called before each exposition or snapshot to bring the values up to date. */
  readonly collect: ((metric: this) => void | Promise<void>) | undefined;
  protected readonly context: MetricContext;
  readonly #index: SeriesIndex | undefined;
  readonly #free: number[] = [];
  readonly #children: Array<BoundSeries | undefined> = [];
  #nextId = 0;
  #capacity = 0;
  #overflowId = -1;
  /** Per series: creation time, for OpenMetrics `_created` (a gauge has none). */
  readonly #created: CreatedTimes | undefined;

  constructor(
    context: MetricContext,
    options: MetricOptions<L> & { collect?: ((metric: never) => void | Promise<void>) | undefined },
    reservedLabels: readonly string[],
    defaultMaxSeries: number,
    /** Whether the type has a `_created` sample (a gauge has none). */
    keepsCreated = true,
  ) {
    assertMetricName(options.name);
    const labelNames = options.labelNames ?? [];
    assertLabelNames(options.name, labelNames, reservedLabels);
    if (typeof options.help !== 'string' || options.help.length === 0) {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `${options.name}: help should be a non-empty string saying what the metric measures`,
      );
    }
    const maxSeries = options.maxSeries ?? defaultMaxSeries;
    if (!Number.isInteger(maxSeries) || maxSeries < 1) {
      throw new ConfigurationError(
        'INVALID_OPTION',
        `${options.name}: maxSeries should be a positive integer, got ${String(maxSeries)}`,
      );
    }
    if (options.unit !== undefined) checkUnit(options.name, options.unit);
    this.name = options.name;
    this.help = options.help;
    this.unit = options.unit;
    this.labelNames = Object.freeze([...labelNames]);
    this.maxSeries = maxSeries;
    this.collect = options.collect as ((metric: this) => void | Promise<void>) | undefined;
    this.context = context;
    this.#created = keepsCreated ? new CreatedTimes() : undefined;
    this.#index = labelNames.length > 0 ? new SeriesIndex(labelNames.length) : undefined;
  }

  /** Subclasses call this last in their constructor: an unlabelled metric has its one series. */
  protected init(): void {
    if (this.#index === undefined) this.#allocate();
  }

  /** Number of live series, the overflow series included. */
  get seriesCount(): number {
    return this.#nextId - this.#free.length;
  }

  /** Grows the subclass's per-series arrays to `capacity` series, keeping their content. */
  protected abstract grow(capacity: number): void;
  /** Sets the data of series `id` to its empty state. */
  protected abstract clearSeries(id: number): void;

  /**
   * Resolves a labels object to its series id, creating the series when new. Returns -1 when the
   * label set is invalid (already reported). The hot path of `inc(labels)` / `observe(labels)`.
   */
  protected idOf(labels: Readonly<Record<string, unknown>>): number {
    const index = this.#index;
    if (index === undefined) return keyCount(labels) === 0 ? 0 : this.#mismatch(labels);
    const id = index.findByLabels(labels, this.labelNames);
    if (id >= 0 && keyCount(labels) === index.depth) return id;
    return this.#create(labels);
  }

  /** The id of the sole series of an unlabelled metric; -1 (reported) when labels are needed. */
  protected soleId(): number {
    return this.#index === undefined ? 0 : this.#mismatch(undefined);
  }

  /** Resolves validated label values to an id, creating the series (used by bound children). */
  protected idOfValues(values: readonly string[]): number {
    const index = this.#index;
    if (index === undefined) return 0;
    const id = index.find(values);
    return id >= 0 ? id : this.#insert(values);
  }

  /** Validates a label set for binding; returns its values, or undefined (reported). */
  protected bindValues(labels: unknown): string[] | undefined {
    const values = labelValuesOf(this.name, this.labelNames, labels ?? {});
    if (typeof values === 'string') {
      this.context.reportInvalid(this.name, 'LABELS_MISMATCH', 'labels_mismatch', values);
      return undefined;
    }
    return values;
  }

  /**
   * The bound child for `labels`: one per series, so binding twice returns the same child. An
   * invalid label set (reported) gets `dropped`, a child that records nothing.
   */
  protected bindChild<C extends BoundSeries>(
    labels: unknown,
    create: (values: readonly string[]) => C,
    dropped: C,
  ): C {
    const values = this.bindValues(labels);
    if (values === undefined) return dropped;
    const id = this.idOfValues(values);
    const existing = this.#children[id];
    if (existing !== undefined) return existing as C;
    const child = create(values);
    child.attach(id);
    if (id !== this.#overflowId) this.#children[id] = child;
    return child;
  }

  /** @internal */
  reattach(values: readonly string[], child: BoundSeries): number {
    const id = this.idOfValues(values);
    if (id !== this.#overflowId) this.#children[id] = child;
    return id;
  }

  /** The id of an existing series for `labels` (not created), or -1. */
  protected findId(labels: unknown): number {
    const index = this.#index;
    if (index === undefined) return 0;
    const values = labelValuesOf(this.name, this.labelNames, labels ?? {});
    return typeof values === 'string' ? -1 : index.find(values);
  }

  /** Removes the series for `labels`; a bound child re-creates it on its next write. */
  remove(labels: Labels<L>): boolean {
    const values = this.bindValues(labels);
    const index = this.#index;
    if (values === undefined || index === undefined) return false;
    const id = index.delete(values);
    if (id < 0) return false;
    this.#release(id);
    return true;
  }

  /** Removes every labelled series (an unlabelled metric goes back to zero). */
  reset(): void {
    const index = this.#index;
    if (index === undefined) {
      this.clearSeries(0);
      this.#stamp(0);
      return;
    }
    index.forEach((id) => {
      this.#release(id);
    });
    index.clear();
    // The overflow series stays: children bound into it hold its id.
    if (this.#overflowId >= 0) {
      this.clearSeries(this.#overflowId);
      this.#stamp(this.#overflowId);
    }
  }

  /** Creation time of series `id`, in ms since the epoch. */
  protected createdAt(id: number): number {
    return this.#created?.get(id) ?? Number.NaN;
  }

  protected resetCreated(id: number): void {
    this.#stamp(id);
  }

  /** Every series as `[id, label pairs]` (`a="1",b="2"`), the overflow series last. */
  *series(): Generator<[number, string]> {
    const index = this.#index;
    if (index === undefined) {
      yield [0, ''];
      return;
    }
    const names = this.labelNames;
    yield* index.joined((level, value) => labelPair(names[level] as string, value));
    if (this.#overflowId >= 0) yield [this.#overflowId, OVERFLOW_LABELS];
  }

  /** Calls `visit` with every series id and its label values as an object. */
  protected forEachSeriesLabels(visit: (id: number, labels: Record<string, string>) => void): void {
    const index = this.#index;
    if (index === undefined) {
      visit(0, {});
      return;
    }
    const names = this.labelNames;
    index.forEach((id, values) => {
      const labels: Record<string, string> = {};
      for (let i = 0; i < names.length; i++) labels[names[i] as string] = values[i] as string;
      visit(id, labels);
    });
    if (this.#overflowId >= 0) visit(this.#overflowId, { vigil_overflow: 'true' });
  }

  /** The `# HELP`, `# TYPE` and `# UNIT` lines. */
  renderHeader(format: ExpositionFormat, name: string): string {
    const openMetrics = format === 'openmetrics';
    let text = `# HELP ${name} ${escapeHelp(this.help, openMetrics)}\n# TYPE ${name} ${this.type}\n`;
    if (openMetrics && this.unit !== undefined) text += `# UNIT ${name} ${this.unit}\n`;
    return text;
  }

  /** Renders the samples of series `id`; `labels` is its label pairs with default labels. */
  abstract renderSeries(format: ExpositionFormat, name: string, id: number, labels: string): string;

  /** This metric as plain JSON; `defaultLabels` are added to every series. */
  abstract snapshot(defaultLabels?: Readonly<Record<string, string>>): MetricSnapshot;

  /** The fields every metric snapshot shares. */
  protected snapshotBase(): { name: string; help: string; labelNames: string[]; unit?: string } {
    const base = { name: this.name, help: this.help, labelNames: [...this.labelNames] };
    return this.unit === undefined ? base : { ...base, unit: this.unit };
  }

  /** Calls `visit` with every series id and its labels object, default labels first. */
  protected forEachSnapshotSeries(
    defaultLabels: Readonly<Record<string, string>>,
    visit: (id: number, labels: Record<string, string>) => void,
  ): void {
    this.forEachSeriesLabels((id, labels) => visit(id, { ...defaultLabels, ...labels }));
  }

  #create(labels: Readonly<Record<string, unknown>>): number {
    const values = this.bindValues(labels);
    if (values === undefined) return -1;
    return this.#insert(values);
  }

  #insert(values: readonly string[]): number {
    const index = this.#index as SeriesIndex;
    if (index.size >= this.maxSeries) {
      this.context.reportOverflow(this.name, this.maxSeries);
      if (this.#overflowId < 0) this.#overflowId = this.#allocate();
      return this.#overflowId;
    }
    const id = this.#allocate();
    index.insert(values, id);
    return id;
  }

  #allocate(): number {
    const id = this.#free.pop() ?? this.#nextId++;
    if (id >= this.#capacity) {
      const capacity = grownCapacity(this.#capacity);
      this.#created?.grow(capacity);
      this.grow(capacity);
      this.#capacity = capacity;
    }
    this.clearSeries(id);
    this.#stamp(id);
    return id;
  }

  #stamp(id: number): void {
    this.#created?.set(id, this.context.now());
  }

  #release(id: number): void {
    const child = this.#children[id];
    if (child !== undefined) {
      child.detach();
      this.#children[id] = undefined;
    }
    this.clearSeries(id);
    this.#free.push(id);
  }

  #mismatch(labels: unknown): number {
    const message = labelValuesOf(this.name, this.labelNames, labels ?? {});
    this.context.reportInvalid(
      this.name,
      'LABELS_MISMATCH',
      'labels_mismatch',
      typeof message === 'string' ? message : `${this.name}: labels do not match labelNames`,
    );
    return -1;
  }
}

/**
 * The next capacity of the per-series arrays: ×1.25 in steps of 8 series. Unused capacity costs
 * as much as used (×2 left up to half of a histogram's buckets empty); copying the arrays ~5 times
 * over is cheap next to creating the series.
 */
function grownCapacity(capacity: number): number {
  return Math.max(8, Math.ceil((capacity * 1.25) / 8) * 8);
}

const UNIT = /^[a-zA-Z0-9_]+$/;

// OpenMetrics: a family with a unit has a name ending in `_<unit>` (before `_total`).
function checkUnit(name: string, unit: string): void {
  const family = name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
  if (typeof unit !== 'string' || !UNIT.test(unit) || !family.endsWith(`_${unit}`)) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${name}: unit should be a word such as 'seconds' that the name ends with ('${family}_${String(unit)}'), got unit ${JSON.stringify(unit)}`,
    );
  }
}
