/**
 * The value of the sample `name{labels}` in Prometheus text, or undefined when it is absent.
 * `labels` is the exact label block: `http_request_method="GET",http_route="/x",…`.
 */
export function sample(text: string, name: string, labels: string): number | undefined {
  const prefix = `${name}{${labels}} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length));
}

/** The `http_server_request_duration_seconds` label block of one request kind. */
export function requestLabels(
  method: string,
  route: string,
  status: string,
  errorType = '',
): string {
  return `http_request_method="${method}",http_route="${route}",http_response_status_code="${status}",error_type="${errorType}"`;
}
