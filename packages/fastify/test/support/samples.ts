/** The labels of a request-duration series, in the order the exposition writes them. */
export interface RequestLabels {
  method?: string;
  route: string;
  status: string;
  errorType?: string;
}

/** `http_server_request_duration_seconds_count{…}` of one label set, as exposed. */
export function countSeries({
  method = 'GET',
  route,
  status,
  errorType = '',
}: RequestLabels): string {
  return `http_server_request_duration_seconds_count{http_request_method="${method}",http_route="${route}",http_response_status_code="${status}",error_type="${errorType}"}`;
}

/** The value of the sample named exactly `series` (name and labels) in `text`, or undefined. */
export function sampleValue(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

/** The request count of one label set in `text` (0 when the series does not exist). */
export function requestCount(text: string, labels: RequestLabels): number {
  return sampleValue(text, countSeries(labels)) ?? 0;
}

/** The lines of `text` that are samples of `name` (with labels). */
export function samplesNamed(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`));
}

/** `http_server_active_requests` of `method` in `text`. */
export function activeRequests(text: string, method = 'GET'): number | undefined {
  return sampleValue(text, `http_server_active_requests{http_request_method="${method}"}`);
}
