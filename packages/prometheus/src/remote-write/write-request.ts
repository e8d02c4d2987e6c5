/*
 * The remote-write 1.0 wire model, `prometheus.WriteRequest` of Prometheus's `prompb` package, as
 * plain objects: what `encodeWriteRequest` takes and `decodeWriteRequest` returns.
 */

/** One label of a series. `__name__` holds the metric name. */
export interface RemoteWriteLabel {
  name: string;
  value: string;
}

/** One sample: a value at a time. */
export interface RemoteWriteSample {
  value: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
}

/** One series: its labels, sorted by name, and its samples, oldest first. */
export interface RemoteWriteTimeSeries {
  labels: RemoteWriteLabel[];
  samples: RemoteWriteSample[];
}

/** The body of one remote-write request, before protobuf encoding and snappy compression. */
export interface WriteRequest {
  timeseries: RemoteWriteTimeSeries[];
}
