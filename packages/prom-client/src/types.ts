// The shapes of prom-client 15's index.d.ts that the facade's classes share.

export type Charset = 'utf-8';
export type PrometheusMIME = 'text/plain';
export type PrometheusMetricsVersion = '0.0.4';
export type OpenMetricsMIME = 'application/openmetrics-text';
export type OpenMetricsVersion = '1.0.0';
export type OpenMetricsContentType =
  `${OpenMetricsMIME}; version=${OpenMetricsVersion}; charset=${Charset}`;
export type PrometheusContentType =
  `${PrometheusMIME}; version=${PrometheusMetricsVersion}; charset=${Charset}`;
export type RegistryContentType = PrometheusContentType | OpenMetricsContentType;

export type Aggregator = 'omit' | 'sum' | 'first' | 'min' | 'max' | 'average';

export type CollectFunction<T> = (this: T) => void | Promise<void>;

export type LabelValues<T extends string> = Partial<Record<T, string | number>>;

export interface MetricObject {
  name: string;
  help: string;
  /**
   * `'counter'`, `'gauge'`, `'histogram'` or `'summary'`. prom-client's index.d.ts declares its
   * `MetricType` enum here while the value is that string; `any` lets code typed either way
   * compile.
   */
  // biome-ignore lint/suspicious/noExplicitAny: see above
  type: any;
  aggregator: Aggregator;
  // biome-ignore lint/suspicious/noExplicitAny: prom-client's own type
  collect: CollectFunction<any>;
}

export interface MetricObjectWithValues<T extends MetricValue<string>> extends MetricObject {
  values: T[];
}

export type MetricValue<T extends string> = {
  value: number;
  labels: LabelValues<T>;
};

export type MetricValueWithName<T extends string> = MetricValue<T> & {
  metricName?: string;
};

/** prom-client's `MetricType` enum. */
export enum MetricType {
  Counter = 0,
  Gauge = 1,
  Histogram = 2,
  Summary = 3,
}

/** An exemplar as prom-client keeps it. */
export interface ExemplarValue {
  labelSet: Record<string, unknown>;
  value: number;
  timestamp?: number;
}

/** One value of a metric's `get()` answer, with what the exposition reads. */
export interface ExposedValue {
  value: number;
  labels?: Record<string, unknown>;
  metricName?: string;
  sharedLabels?: Record<string, unknown>;
  exemplar?: ExemplarValue | null | undefined;
}

/** What `get()` answers. */
export interface MetricData {
  name: string;
  help: string;
  // biome-ignore lint/suspicious/noExplicitAny: as MetricObject's
  type: any;
  values?: ExposedValue[];
  aggregator?: Aggregator | string;
}

/** What a registry holds: a facade metric or any `{ name, get() }` object. */
export interface MetricLike {
  name: string;
  type?: string;
  get(): MetricData | Promise<MetricData>;
  getForPromString?(): MetricData | Promise<MetricData>;
  reset?(): void;
}

export interface IncreaseDataWithExemplar<T extends string> {
  value?: number;
  labels?: LabelValues<T>;
  exemplarLabels?: LabelValues<T>;
}

export interface ObserveDataWithExemplar<T extends string> {
  value: number;
  labels?: LabelValues<T>;
  exemplarLabels?: LabelValues<T>;
}
