import type { ExpositionFormat, Metric } from './metric.js';
import { TextWriter } from './text-writer.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE =
  'application/openmetrics-text; version=1.0.0; charset=utf-8';

/**
 * Longest stretch the renderer runs before yielding, in ms. What blocked the event loop beyond it
 * was garbage collection: a render now allocates little more than its output (see `TextWriter`).
 */
const SLICE_MS = 3;
/** Series rendered between two looks at the clock. */
const CHECK_EVERY = 64;

/** A metric and the default-label pairs (`k="v"`) rendered in front of its own labels. */
export interface RenderEntry {
  metric: Metric<string>;
  defaultLabels: string;
}

/**
 * Renders metrics in the Prometheus text format 0.0.4 or OpenMetrics 1.0, then `trailer()` (the
 * families of a registry's collectors), then OpenMetrics' `# EOF`. Long renders yield to
 * the event loop every few milliseconds (prom-client renders in one block: its issue #543), so a
 * scrape of 50,000 series never stalls the host's requests for long.
 */
export async function render(
  entries: Iterable<RenderEntry>,
  format: ExpositionFormat,
  trailer: () => string = () => '',
): Promise<string> {
  const now = () => performance.now();
  let sliceStart = now();
  let sinceCheck = 0;
  let yielded = false;
  const out = new TextWriter();
  for (const { metric, defaultLabels } of entries) {
    const name = familyName(metric, format);
    out.add(metric.renderHeader(format, name));
    const series = metric.seriesCursor(defaultLabels);
    while (series.next()) {
      metric.renderSeries(out, format, name, series.id, series.text);
      if (++sinceCheck >= CHECK_EVERY) {
        sinceCheck = 0;
        if (now() - sliceStart >= SLICE_MS) {
          await yieldToEventLoop();
          yielded = true;
          sliceStart = now();
        }
      }
    }
  }
  out.add(trailer());
  if (format === 'openmetrics') out.add('# EOF\n');
  // The final join copies the whole text into one new string, fresh memory whose first touch
  // costs ~2.5 ms per MB on the benchmark machine: a long render gives it a turn of its own
  // rather than adding it to the last slice.
  if (yielded) await yieldToEventLoop();
  return out.text();
}

/** The name of the metric family: OpenMetrics names a counter without its `_total` suffix. */
export function familyName(metric: Metric<string>, format: ExpositionFormat): string {
  if (format === 'openmetrics' && metric.type === 'counter' && metric.name.endsWith('_total')) {
    return metric.name.slice(0, -'_total'.length);
  }
  return metric.name;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
