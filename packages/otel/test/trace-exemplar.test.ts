import { context, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { Registry } from '@vigil/core';
import { parseExposition } from '@vigil/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceExemplar } from '../src/index.js';
import { AsyncContextManager } from './support/async-context-manager.js';

beforeAll(() => {
  context.setGlobalContextManager(new AsyncContextManager());
});
afterAll(() => {
  context.disable();
});

function latencyHistogram() {
  const registry = new Registry();
  const latency = registry.histogram({
    name: 'job_duration_seconds',
    help: 'Job durations',
    labelNames: ['job'],
    buckets: [0.1, 1],
  });
  return { registry, latency };
}

async function bucketExemplars(registry: Registry, job: string) {
  const parsed = parseExposition(await registry.metrics({ format: 'openmetrics' }), 'openmetrics');
  const family = parsed.families.find((f) => f.name === 'job_duration_seconds');
  return (family?.samples ?? [])
    .filter((s) => s.name === 'job_duration_seconds_bucket' && s.labels['job'] === job)
    .map((s) => s.exemplar);
}

describe('traceExemplar()', () => {
  it("labels an observation in a span with the span's trace id and span id", async () => {
    const { registry, latency } = latencyHistogram();
    const tracer = new BasicTracerProvider().getTracer('exemplar-test');
    const ids = tracer.startActiveSpan('report', (span) => {
      latency.observe({ job: 'report' }, 0.42, traceExemplar());
      span.end();
      return span.spanContext();
    });
    const exemplars = await bucketExemplars(registry, 'report');
    // Buckets le=0.1, le=1, +Inf: the observation landed in le=1.
    expect(exemplars[0]).toBeUndefined();
    expect(exemplars[1]).toMatchObject({
      labels: { trace_id: ids.traceId, span_id: ids.spanId },
      value: 0.42,
    });
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives nothing outside a span, and the observation carries no exemplar', async () => {
    const { registry, latency } = latencyHistogram();
    expect(traceExemplar()).toBeUndefined();
    latency.observe({ job: 'idle' }, 0.42, traceExemplar());
    expect(await bucketExemplars(registry, 'idle')).toEqual([undefined, undefined, undefined]);
    expect(latency.get({ job: 'idle' })?.count).toBe(1);
  });

  it('works on a bound child, with a span context set by hand', async () => {
    const { registry, latency } = latencyHistogram();
    const spanContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    };
    const child = latency.labels({ job: 'manual' });
    context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext), () => {
      child.observe(0.05, traceExemplar());
    });
    expect((await bucketExemplars(registry, 'manual'))[0]?.labels).toEqual({
      trace_id: spanContext.traceId,
      span_id: spanContext.spanId,
    });
  });

  it('skips unsampled and invalid span contexts unless told to take unsampled ones', () => {
    const unsampled = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.NONE,
    };
    const invalid = { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 };
    context.with(trace.setSpanContext(ROOT_CONTEXT, unsampled), () => {
      expect(traceExemplar()).toBeUndefined();
      expect(traceExemplar(false)).toEqual({
        trace_id: unsampled.traceId,
        span_id: unsampled.spanId,
      });
    });
    context.with(trace.setSpanContext(ROOT_CONTEXT, invalid), () => {
      expect(traceExemplar(false)).toBeUndefined();
    });
  });

  it('answers the same labels object for every observation of one span', () => {
    const tracer = new BasicTracerProvider().getTracer('exemplar-test');
    tracer.startActiveSpan('one', (span) => {
      expect(traceExemplar()).toBe(traceExemplar());
      span.end();
    });
  });
});
