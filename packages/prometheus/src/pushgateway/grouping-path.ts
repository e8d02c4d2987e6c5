/** Grouping labels of a Pushgateway group, besides `job`: `{ instance: 'worker-1' }`. */
export type GroupingLabels = Readonly<Record<string, string>>;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The path of a group, `/metrics/job/<job>{/<label>/<value>}`, encoded the Pushgateway way: a value
 * with a `/`, an empty one, or one of dots only is sent as `<label>@base64/<base64url of it>`,
 * since `/` cannot be escaped in a path segment that every proxy on the way leaves alone.
 */
export function groupingPath(job: string, labels: GroupingLabels): string {
  let path = `/metrics/${segment('job', job)}`;
  for (const [name, value] of Object.entries(labels)) path += `/${segment(name, value)}`;
  return path;
}

/** Why `name` cannot be a grouping label, or undefined when it can. */
export function groupingLabelProblem(name: string, value: unknown): string | undefined {
  if (!LABEL_NAME.test(name)) {
    return `grouping label name '${name}' should match [a-zA-Z_][a-zA-Z0-9_]*`;
  }
  if (name === 'job') return `'job' is the job, not a grouping label; set it as job`;
  if (name.startsWith('__')) return `grouping label name '${name}' is reserved (starts with __)`;
  if (typeof value !== 'string') return `grouping label '${name}' should be a string`;
  return undefined;
}

// `.` and `..` would be dot-segments: a URL parser removes them, sending the push to another group.
const DOTS = /^\.+$/;

function segment(name: string, value: string): string {
  if (value === '') return `${name}@base64/=`;
  if (value.includes('/') || DOTS.test(value)) {
    return `${name}@base64/${Buffer.from(value).toString('base64url')}`;
  }
  return `${name}/${encodeURIComponent(value)}`;
}
