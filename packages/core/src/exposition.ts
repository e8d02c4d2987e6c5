import type { ExpositionFormat, Metric } from './metric.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE =
  'application/openmetrics-text; version=1.0.0; charset=utf-8';

/**
 * Longest stretch the renderer runs before yielding, in ms: with the join of the slice and a
 * young-generation GC on top, one block of the event loop stays well under 10 ms.
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
 * Renders metrics in the Prometheus text format 0.0.4 or OpenMetrics 1.0. Long renders yield to
 * the event loop every few milliseconds (prom-client renders in one block: its issue #543), so a
 * scrape of 50,000 series never stalls the host's requests for long.
 */
export async function render(
  entries: Iterable<RenderEntry>,
  format: ExpositionFormat,
): Promise<string> {
  const now = () => performance.now();
  let sliceStart = now();
  let sinceCheck = 0;
  // Each slice is joined flat before yielding, so the final join copies a few large strings
  // instead of flattening one rope of every sample (which would block at the very end).
  const chunks: string[] = [];
  let slice: string[] = [];
  for (const { metric, defaultLabels } of entries) {
    const name = familyName(metric, format);
    slice.push(metric.renderHeader(format, name));
    for (const [id, labels] of metric.series()) {
      slice.push(metric.renderSeries(format, name, id, joinLabels(defaultLabels, labels)));
      if (++sinceCheck >= CHECK_EVERY) {
        sinceCheck = 0;
        if (now() - sliceStart >= SLICE_MS) {
          chunks.push(slice.join(''));
          slice = [];
          await yieldToEventLoop();
          sliceStart = now();
        }
      }
    }
  }
  chunks.push(slice.join(''));
  if (format === 'openmetrics') chunks.push('# EOF\n');
  return chunks.join('');
}

/** The name of the metric family: OpenMetrics names a counter without its `_total` suffix. */
export function familyName(metric: Metric<string>, format: ExpositionFormat): string {
  if (format === 'openmetrics' && metric.type === 'counter' && metric.name.endsWith('_total')) {
    return metric.name.slice(0, -'_total'.length);
  }
  return metric.name;
}

function joinLabels(defaults: string, labels: string): string {
  if (defaults === '') return labels;
  return labels === '' ? defaults : `${defaults},${labels}`;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
