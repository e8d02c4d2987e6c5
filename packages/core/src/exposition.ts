import type { ExpositionFormat, Metric } from './metric.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE =
  'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** Longest stretch the renderer runs before yielding to the event loop, in ms. */
const SLICE_MS = 5;
/** Series rendered between two looks at the clock. */
const CHECK_EVERY = 128;

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
  const chunks: string[] = [];
  for (const { metric, defaultLabels } of entries) {
    const name = familyName(metric, format);
    let text = metric.renderHeader(format, name);
    const pending: Array<{ id: number; labels: string }> = [];
    metric.visitSeries((id, labels) => {
      pending.push({ id, labels: joinLabels(defaultLabels, labels) });
    });
    for (const { id, labels } of pending) {
      text += metric.renderSeries(format, name, id, labels);
      if (++sinceCheck >= CHECK_EVERY) {
        sinceCheck = 0;
        if (now() - sliceStart >= SLICE_MS) {
          chunks.push(text);
          text = '';
          await yieldToEventLoop();
          sliceStart = now();
        }
      }
    }
    chunks.push(text);
  }
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
