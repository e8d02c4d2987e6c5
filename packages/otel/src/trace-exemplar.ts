import { context, isSpanContextValid, type SpanContext, trace } from '@opentelemetry/api';
import type { ExemplarLabels } from '@vigil/core';

/** The labels of a trace exemplar: the OpenMetrics names Prometheus and Grafana look for. */
export interface TraceExemplarLabels extends ExemplarLabels {
  readonly trace_id: string;
  readonly span_id: string;
}

// The labels of the last span seen: observations in one span share one object.
let lastContext: SpanContext | undefined;
let lastLabels: TraceExemplarLabels | undefined;

/**
 * The active span's `{ trace_id, span_id }`, to pass as a histogram observation's exemplar, or
 * `undefined` outside a (valid) span, for which the observation carries none:
 *
 * ```ts
 * latency.observe({ route: '/users/:id' }, seconds, traceExemplar());
 * ```
 *
 * Opt-in: an observation without it costs nothing more. With it, the exemplar is kept for the
 * bucket and written in the OpenMetrics format (`registry.metrics({ format: 'openmetrics' })`).
 * Only a sampled span is used unless `sampledOnly` is false, since an unsampled trace cannot be
 * opened from a dashboard.
 */
export function traceExemplar(sampledOnly = true): TraceExemplarLabels | undefined {
  const spanContext = trace.getSpanContext(context.active());
  if (spanContext === undefined) return undefined;
  // TraceFlags.SAMPLED is bit 0.
  if (sampledOnly && (spanContext.traceFlags & 1) === 0) return undefined;
  if (spanContext === lastContext) return lastLabels;
  if (!isSpanContextValid(spanContext)) return undefined;
  lastContext = spanContext;
  lastLabels = Object.freeze({ trace_id: spanContext.traceId, span_id: spanContext.spanId });
  return lastLabels;
}
