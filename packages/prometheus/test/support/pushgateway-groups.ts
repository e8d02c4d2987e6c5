import { randomBytes } from 'node:crypto';

/** A job name no other test uses: tests share one Pushgateway. */
export function uniqueJob(what: string): string {
  return `${what}-${randomBytes(4).toString('hex')}`;
}

/** One metric of a group as the Pushgateway's `/api/v1/metrics` lists it. */
export interface GatewayMetric {
  type: string;
  help?: string;
  metrics: Array<{
    labels: Record<string, string>;
    value?: string;
    count?: string;
    sum?: string;
    buckets?: Record<string, string>;
    quantiles?: Record<string, string>;
  }>;
}

/** The groups of `job` on the Pushgateway: each group's labels and its metric families. */
export async function groupsOf(
  gateway: string,
  job: string,
): Promise<Array<{ labels: Record<string, string>; families: Record<string, GatewayMetric> }>> {
  const response = await fetch(`${gateway}/api/v1/metrics`);
  const body = (await response.json()) as { data: Array<Record<string, unknown>> };
  return body.data
    .filter((group) => (group['labels'] as Record<string, string>)['job'] === job)
    .map((group) => {
      const {
        labels,
        last_push_successful,
        push_time_seconds,
        push_failure_time_seconds,
        ...rest
      } = group;
      return {
        labels: labels as Record<string, string>,
        families: rest as Record<string, GatewayMetric>,
      };
    });
}
