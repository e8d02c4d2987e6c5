import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';

/**
 * A reader that is only ever collected by hand. Without a reader the SDK records nothing, so a
 * benchmark without one would measure a no-op.
 */
export class ManualReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

/** A meter on a fresh MeterProvider with a ManualReader attached. */
export function otelMeter() {
  const reader = new ManualReader();
  const provider = new MeterProvider({ readers: [reader] });
  return { meter: provider.getMeter('vigil-benchmarks'), reader, provider };
}
