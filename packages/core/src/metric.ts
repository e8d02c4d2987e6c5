import type { BoundSeries, SeriesOwner } from './bound-series.js';
import { escapeHelp } from './escape.js';
import { labelArgumentValues } from './label-arguments.js';
import {
  keyCount,
  type LabelProblem,
  type Labels,
  type LabelValue,
  labelValuesOf,
} from './label-values.js';
import { constructedDirectly, isMetricContext, type MetricContext } from './metric-context.js';
import {
  type CollectCallback,
  checkMetricOptions,
  type ExpositionFormat,
  type MetricOptions,
  type MetricType,
} from './metric-options.js';
import { MetricCursor } from './series-cursor.js';
import { SeriesIndex } from './series-index.js';
import { SeriesSlots } from './series-slots.js';
import type { MetricSnapshot } from './snapshot.js';
import type { TextWriter } from './text-writer.js';

// The types every metric file imports along with `Metric`.
export type { ExpositionFormat, MetricOptions, MetricType } from './metric-options.js';

const NO_VALUES: readonly unknown[] = Object.freeze([]);

/**
 * What every metric shares: validated definition, series ids and their label index, bound
 * children, the cardinality limit and the text-format headers. Series data lives in typed arrays
 * indexed by series id in each subclass, so recording is a field update.
 */
export abstract class Metric<L extends string = string> implements SeriesOwner {
  abstract readonly type: MetricType;
  readonly name: string;
  readonly help: string;
  readonly unit: string | undefined;
  readonly labelNames: readonly L[];
  readonly maxSeries: number;
  /** Called before each exposition or snapshot (with the metric as `this`) to update values. */
  readonly collect: CollectCallback<this> | undefined;
  protected readonly context: MetricContext;
  readonly #index: SeriesIndex | undefined;
  readonly #slots: SeriesSlots;

  constructor(
    context: MetricContext,
    options: MetricOptions<L> & { readonly collect?: unknown },
    reservedLabels: readonly string[],
    defaultMaxSeries: number,
    /** Whether the type has a `_created` sample (a gauge has none). */
    keepsCreated = true,
  ) {
    if (!isMetricContext(context)) throw constructedDirectly(new.target.name);
    const definition = checkMetricOptions(options, reservedLabels, defaultMaxSeries);
    this.name = definition.name;
    this.help = definition.help;
    this.unit = definition.unit;
    this.labelNames = definition.labelNames as readonly L[];
    this.maxSeries = definition.maxSeries;
    this.collect = definition.collect as CollectCallback<this> | undefined;
    this.context = context;
    const storage = {
      grow: (capacity: number) => this.grow(capacity),
      clear: (id: number) => this.clearSeries(id),
    };
    this.#slots = new SeriesSlots(storage, () => context.now(), keepsCreated);
    const depth = this.labelNames.length;
    this.#index = depth > 0 ? new SeriesIndex(depth) : undefined;
  }

  /** Subclasses call this last in their constructor: an unlabelled metric has its one series. */
  protected init(): void {
    if (this.#index === undefined) this.#slots.allocate();
  }

  /** Number of live series, the overflow series included. */
  get seriesCount(): number {
    return this.#slots.count - (this.#slots.soleLive ? 0 : 1);
  }

  /** Grows the subclass's per-series arrays to `capacity` series, keeping their content. */
  protected abstract grow(capacity: number): void;
  /** Sets the data of series `id` to its empty state. */
  protected abstract clearSeries(id: number): void;

  /**
   * Resolves a labels object to its series id, creating the series when new. Returns -1 when the
   * label set is invalid (already reported). The hot path of `inc(labels)` / `observe(labels)`:
   * an existing series is found without building anything; only a new one is validated.
   */
  protected idOf(labels: Readonly<Record<string, unknown>>): number {
    const index = this.#index;
    if (index === undefined)
      return keyCount(labels) === 0 ? this.#slots.sole() : this.#mismatch(labels);
    const id = index.findByLabels(labels, this.labelNames);
    if (id >= 0 && keyCount(labels) === index.depth) return id;
    const values = this.#checked(
      labelValuesOf(this.name, this.labelNames, labels, this.context.maxLabelValueLength),
    );
    return values === undefined ? -1 : this.#insert(values);
  }

  /** The id of the sole series of an unlabelled metric; -1 (reported) when labels are needed. */
  protected soleId(): number {
    if (this.#index !== undefined) return this.#mismatch(undefined);
    return this.#slots.sole();
  }

  /** Resolves validated label values to an id, creating the series (used by bound children). */
  protected idOfValues(values: readonly string[]): number {
    const index = this.#index;
    if (index === undefined) return this.#slots.sole();
    const id = index.find(values);
    return id >= 0 ? id : this.#insert(values);
  }

  /**
   * The bound child for a label set: one per series, so binding twice returns the same child. An
   * invalid label set (reported) gets `dropped`, a child that records nothing. The label set is
   * `labels` (an object), or `labels` and `rest` as values in `labelNames` order.
   */
  protected bindChild<C extends BoundSeries>(
    labels: unknown,
    create: (values: readonly string[]) => C,
    dropped: C,
    rest: readonly unknown[] = NO_VALUES,
  ): C {
    const values = this.#checked(
      labelArgumentValues(
        this.name,
        this.labelNames,
        labels,
        rest,
        this.context.maxLabelValueLength,
      ),
    );
    if (values === undefined) return dropped;
    const id = this.idOfValues(values);
    const existing = this.#slots.child(id);
    if (existing !== undefined) return existing as C;
    const child = create(values);
    child.attach(id);
    this.#slots.track(id, child);
    return child;
  }

  /** @internal */
  reattach(values: readonly string[], child: BoundSeries): number {
    const id = this.idOfValues(values);
    this.#slots.track(id, child);
    return id;
  }

  /** The id of an existing series for `labels` (not created), or -1. */
  protected findId(labels: unknown): number {
    const index = this.#index;
    if (index === undefined) return this.#slots.soleLive ? 0 : -1;
    const values = labelValuesOf(this.name, this.labelNames, labels ?? {});
    return Array.isArray(values) ? index.find(values) : -1;
  }

  /**
   * Removes the series of a label set (an object, or the values in `labelNames` order, as
   * prom-client takes them); a bound child re-creates it on its next write.
   */
  remove(labels: Labels<L>): boolean;
  remove(...values: LabelValue[]): boolean;
  remove(labels?: unknown, ...rest: unknown[]): boolean {
    const values = this.#checked(labelArgumentValues(this.name, this.labelNames, labels, rest));
    const index = this.#index;
    if (values === undefined || index === undefined) return false;
    const id = index.delete(values);
    if (id < 0) return false;
    this.#slots.release(id);
    return true;
  }

  /**
   * Removes every labelled series; an unlabelled metric goes back to zero (its series stays, or
   * comes back after `clear()`).
   */
  reset(): void {
    if (this.#index !== undefined) this.clear();
    else this.#slots.reset(this.#slots.sole());
  }

  /**
   * Removes every series, the unlabelled one included: until the next write the metric has no
   * series, so exposition renders only its `# HELP` and `# TYPE` lines, as prom-client's
   * `reset()` leaves a histogram. The next write (through the metric or a bound child) creates
   * the series again, at zero, with a new creation time. The overflow series of a metric past its
   * `maxSeries` is only zeroed, as by `reset()`: children bound into it hold its id.
   */
  clear(): void {
    const index = this.#index;
    if (index === undefined) {
      this.#slots.removeSole();
      return;
    }
    index.forEach((id) => {
      this.#slots.release(id);
    });
    index.clear();
    if (this.#slots.overflowId >= 0) this.#slots.reset(this.#slots.overflowId);
  }

  /** Creation time of series `id`, in ms since the epoch. */
  protected createdAt(id: number): number {
    return this.#slots.createdAt(id);
  }

  /** Clears series `id` and makes now its creation time. */
  protected resetCreated(id: number): void {
    this.#slots.reset(id);
  }

  /** @internal A cursor over every series' id and label pairs, after `defaults`. */
  seriesCursor(defaults: string): MetricCursor {
    return new MetricCursor(this.#index, this.labelNames, defaults, () => this.#lastId());
  }

  /** Calls `visit` with every series id and its label values as an object. */
  protected forEachSeriesLabels(visit: (id: number, labels: Record<string, string>) => void): void {
    const index = this.#index;
    if (index === undefined) {
      if (this.#slots.soleLive) visit(0, {});
      return;
    }
    const names = this.labelNames;
    index.forEach((id, values) => {
      const labels: Record<string, string> = {};
      for (let i = 0; i < names.length; i++) labels[names[i] as string] = values[i] as string;
      visit(id, labels);
    });
    if (this.#slots.overflowId >= 0) visit(this.#slots.overflowId, { vigil_overflow: 'true' });
  }

  /** The `# HELP`, `# TYPE` and `# UNIT` lines. */
  renderHeader(format: ExpositionFormat, name: string): string {
    const openMetrics = format === 'openmetrics';
    let text = `# HELP ${name} ${escapeHelp(this.help, openMetrics)}\n# TYPE ${name} ${this.type}\n`;
    if (openMetrics && this.unit !== undefined) text += `# UNIT ${name} ${this.unit}\n`;
    return text;
  }

  /** @internal Writes the samples of series `id`; `labels` is its label pairs, defaults first. */
  abstract renderSeries(
    out: TextWriter,
    format: ExpositionFormat,
    name: string,
    id: number,
    labels: string,
  ): void;

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

  /** The series a cursor visits after the index's: the overflow series, or the sole series. */
  #lastId(): number {
    if (this.#index !== undefined) return this.#slots.overflowId;
    return this.#slots.soleLive ? 0 : -1;
  }

  #insert(values: readonly string[]): number {
    const index = this.#index as SeriesIndex;
    if (index.size >= this.maxSeries) {
      this.context.reportOverflow(this.name, this.maxSeries);
      return this.#slots.overflow();
    }
    const id = this.#slots.allocate();
    index.insert(values, id);
    return id;
  }

  /** The values, or undefined once a problem is reported (which throws under `'throw'`). */
  #checked(values: string[] | LabelProblem): string[] | undefined {
    if (Array.isArray(values)) return values;
    this.context.reportInvalid(this.name, 'LABELS_MISMATCH', values.reason, values.message);
    return undefined;
  }

  #mismatch(labels: unknown): number {
    this.#checked(labelValuesOf(this.name, this.labelNames, labels ?? {}));
    return -1;
  }
}
