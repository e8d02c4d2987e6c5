/**
 * A series as an error message names it, in the Prometheus way: `cpu{host="a"}`. Built only when
 * an error is thrown, never on a read's path.
 */
export function seriesName(metric: string, labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return `${metric}{${pairs.join(',')}}`;
}
