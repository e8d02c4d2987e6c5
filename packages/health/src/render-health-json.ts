import type { CheckResult } from './check-result.js';
import type { CheckStatus, ObservedValue } from './health-check.js';
import type { HealthReport, HealthStatus } from './health-report.js';
import type { ProbeReport } from './probe-report.js';

/** The media type of the IETF draft "Health Check Response Format for HTTP APIs". */
export const HEALTH_JSON_CONTENT_TYPE = 'application/health+json';

/** One entry of a health+json `checks` array. */
export interface HealthJsonCheck {
  /** The check's name, when it differs from its component name. */
  componentId?: string;
  componentType?: string;
  observedValue?: ObservedValue;
  observedUnit?: string;
  status: CheckStatus;
  /** ISO 8601. */
  time: string;
  /** Why it warns or fails; never on a passing check. */
  output?: string;
  /** Vigil extension: the check's further readings. */
  details?: Readonly<Record<string, ObservedValue>>;
}

/** A health+json body. */
export interface HealthJsonBody {
  status: CheckStatus;
  version?: string;
  releaseId?: string;
  serviceId?: string;
  description?: string;
  /** Why the service warns or fails: the failing checks and their outputs. */
  output?: string;
  /** Keyed `component:measurement`; every key holds an array, one entry per check. */
  checks?: Record<string, HealthJsonCheck[]>;
  /** Vigil extension: the 0–100 score. */
  score?: number;
}

/** A rendered health response, ready for any HTTP framework. */
export interface HealthJsonResponse {
  contentType: typeof HEALTH_JSON_CONTENT_TYPE;
  /** 200 for `pass` and `warn`, 503 for `fail`. */
  status: 200 | 503;
  body: HealthJsonBody;
}

/** Options of `renderHealthJson`. */
export interface RenderHealthJsonOptions {
  /**
   * Whether to include the checks' `output` and `details` (error messages can name hosts and
   * ports): pass `false` on a public endpoint. The top-level `output` then names the failing
   * checks only. Default `true`.
   */
  outputs?: boolean | undefined;
}

/** How a `HealthStatus` maps onto health+json: healthy → pass, degraded → warn, critical → fail. */
export const HEALTH_JSON_STATUS: Readonly<Record<HealthStatus, CheckStatus>> = {
  healthy: 'pass',
  degraded: 'warn',
  critical: 'fail',
};

/**
 * Renders a report (`monitor.check()`) or a probe (`monitor.live()`, `ready()`, `started()`)
 * as an `application/health+json` response. Pure: the same input gives the same output.
 */
export function renderHealthJson(
  report: HealthReport | ProbeReport,
  options: RenderHealthJsonOptions = {},
): HealthJsonResponse {
  const outputs = options.outputs !== false;
  const body: HealthJsonBody = { status: 'pass' };
  let health: HealthReport | undefined;
  if ('probe' in report) {
    body.status = report.status;
    health = report.report;
  } else {
    body.status = HEALTH_JSON_STATUS[report.status];
    health = report;
  }
  if (report.version !== undefined) body.version = report.version;
  if (report.releaseId !== undefined) body.releaseId = report.releaseId;
  if (report.serviceId !== undefined) body.serviceId = report.serviceId;
  if (report.description !== undefined) body.description = report.description;
  const output = 'probe' in report ? report.output : summaryOutput(report, outputs);
  if (output !== undefined && body.status !== 'pass') body.output = output;
  if (health !== undefined) {
    body.checks = renderChecks(health, outputs, report.uptime, report.time);
    body.score = health.score;
  }
  return {
    contentType: HEALTH_JSON_CONTENT_TYPE,
    status: body.status === 'fail' ? 503 : 200,
    body,
  };
}

function summaryOutput(report: HealthReport, outputs: boolean): string | undefined {
  const failing = Object.values(report.checks).filter((check) => check.status !== 'pass');
  if (failing.length === 0) return undefined;
  return failing
    .map((check) =>
      outputs && check.output !== undefined
        ? `${check.name}: ${check.status}: ${check.output}`
        : `${check.name}: ${check.status}`,
    )
    .join('; ');
}

function renderChecks(
  report: HealthReport,
  outputs: boolean,
  uptime: number,
  time: string,
): Record<string, HealthJsonCheck[]> {
  const byKey = new Map<string, HealthJsonCheck[]>();
  for (const result of Object.values(report.checks)) {
    const entry = renderCheck(result, outputs);
    const list = byKey.get(result.key);
    if (list === undefined) byKey.set(result.key, [entry]);
    else list.push(entry);
  }
  // The draft's own example reports uptime as a system check.
  if (!byKey.has('uptime')) {
    byKey.set('uptime', [
      { componentType: 'system', observedValue: uptime, observedUnit: 's', status: 'pass', time },
    ]);
  }
  // fromEntries defines own properties, whatever the keys (even `__proto__`).
  const checks: Record<string, HealthJsonCheck[]> = Object.fromEntries(byKey);
  return checks;
}

function renderCheck(result: CheckResult, outputs: boolean): HealthJsonCheck {
  const entry: HealthJsonCheck = { status: result.status, time: result.time };
  if (result.name !== result.component) entry.componentId = result.name;
  if (result.componentType !== undefined) entry.componentType = result.componentType;
  if (result.observedValue !== undefined) entry.observedValue = result.observedValue;
  if (result.observedUnit !== undefined) entry.observedUnit = result.observedUnit;
  if (outputs && result.output !== undefined && result.status !== 'pass') {
    entry.output = result.output;
  }
  if (outputs && result.details !== undefined) entry.details = result.details;
  return entry;
}
