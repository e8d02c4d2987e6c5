/**
 * The Vigil metrics a `VigilMetricReader` made (its families, `target_info` and its
 * `vigil_otel_bridged_metrics` gauge): OpenTelemetry's own metrics, which a `VigilMetricProducer`
 * leaves out unless told, so that a `MeterProvider` does not ship them twice.
 */
const BRIDGED = new WeakSet<object>();

export function markBridged(metric: object): void {
  BRIDGED.add(metric);
}

export function isBridged(metric: object): boolean {
  return BRIDGED.has(metric);
}
