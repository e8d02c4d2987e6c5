/** A request target split into its path and its query. */
export interface RequestTarget {
  /** Everything before the first `?` or `#`, not decoded. */
  readonly path: string;
  /** `?` and what follows it up to a `#` (or the end); `''` without a query. */
  readonly search: string;
}

/**
 * The one place request targets are split, for every adapter (`/_vigil/metrics?format=x#y` →
 * `{ path: '/_vigil/metrics', search: '?format=x' }`). The path ends at the first `?` or `#`, and
 * the query runs from that `?` to the next `#`, as WHATWG URL parsing does: a client never sends
 * a `#fragment`, but a hand-made request may, and every caller must agree on where the path ends
 * (a router that matched `/metrics#x` as `/metrics` and then served `/metrics#x` answered
 * nothing).
 */
export function splitTarget(target: string): RequestTarget {
  const query = target.indexOf('?');
  const fragment = target.indexOf('#');
  if (query < 0 || (fragment >= 0 && fragment < query)) {
    return { path: fragment < 0 ? target : target.slice(0, fragment), search: '' };
  }
  return {
    path: target.slice(0, query),
    search: fragment < 0 ? target.slice(query) : target.slice(query, fragment),
  };
}

/** @internal The path of a request target: everything before the first `?` or `#`. */
export function pathOf(target: string): string {
  const query = target.indexOf('?');
  const fragment = target.indexOf('#');
  const end = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
  return end < 0 ? target : target.slice(0, end);
}
