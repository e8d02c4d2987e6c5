import type { ExpositionFormat } from '@vigil/core';
import { HttpError } from './errors.js';

const OPENMETRICS = 'application/openmetrics-text';

/**
 * The exposition format for a scrape: `?format=prometheus|openmetrics` when given, else
 * OpenMetrics when the `Accept` header asks for `application/openmetrics-text` at least as much
 * as for the text format (Prometheus does), else the Prometheus text format.
 *
 * @throws HttpError `HTTP_BAD_REQUEST` for another `format`.
 */
export function negotiateFormat(
  format: string | null,
  accept: string | undefined,
): ExpositionFormat {
  if (format !== null) {
    if (format === 'prometheus' || format === 'openmetrics') return format;
    throw new HttpError(
      'HTTP_BAD_REQUEST',
      `format should be 'prometheus' or 'openmetrics', got ${JSON.stringify(format)}`,
    );
  }
  const ranges = accept?.toLowerCase();
  if (ranges === undefined || !ranges.includes(OPENMETRICS)) return 'prometheus';
  let openMetrics = 0;
  let text = 0;
  for (const range of ranges.split(',')) {
    const [type = '', ...parameters] = range.split(';');
    const media = type.trim();
    const q = qualityOf(parameters);
    if (media === OPENMETRICS) openMetrics = Math.max(openMetrics, q);
    else if (media === 'text/plain') text = Math.max(text, q);
  }
  return openMetrics > 0 && openMetrics >= text ? 'openmetrics' : 'prometheus';
}

/** Whether `Accept-Encoding` accepts gzip (`gzip`, `x-gzip` or `*`, with a q above 0). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (acceptEncoding === undefined || acceptEncoding === '') return false;
  let gzip: number | undefined;
  let any: number | undefined;
  for (const item of acceptEncoding.split(',')) {
    const [coding = '', ...parameters] = item.split(';');
    const name = coding.trim().toLowerCase();
    const q = qualityOf(parameters);
    if (name === 'gzip' || name === 'x-gzip') gzip = Math.max(gzip ?? 0, q);
    else if (name === '*') any = q;
  }
  return (gzip ?? any ?? 0) > 0;
}

function qualityOf(parameters: readonly string[]): number {
  for (const parameter of parameters) {
    const [key = '', value = ''] = parameter.split('=');
    if (key.trim().toLowerCase() === 'q') {
      const q = Number(value.trim());
      return Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0;
    }
  }
  return 1;
}
