import { VigilError } from '@vigil/core';
import type { Position } from './promql/ast.js';

/**
 * Every stable error code thrown by `@vigil/alerts`, besides core's `INVALID_OPTION` and
 * `INVALID_DURATION` (thrown as core's `ConfigurationError` for bad options). Each one is
 * explained in `docs/errors.md`.
 */
export const ALERTS_ERROR_CODES = [
  'PROMQL_SYNTAX',
  'PROMQL_UNSUPPORTED',
  'PROMQL_EVALUATION',
  'INVALID_RULE',
  'TEMPLATE_ERROR',
  'DELIVERY_FAILED',
] as const;

/** A stable error code thrown by `@vigil/alerts`. */
export type AlertsErrorCode = (typeof ALERTS_ERROR_CODES)[number];

/** Where in `expression` a construct starts, as "line:column" text for messages. */
function at(expression: string, position: Position): string {
  const before = expression.slice(0, position.from);
  const line = before.split('\n').length;
  const column = position.from - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

/** A PromQL expression that does not parse; `position` says where. */
export class PromqlSyntaxError extends VigilError {
  static override readonly brand = 'vigil.alerts.PromqlSyntaxError';
  declare readonly code: 'PROMQL_SYNTAX';
  readonly expression: string;
  readonly position: Position;

  constructor(expression: string, position: Position, reason: string) {
    super(
      'PROMQL_SYNTAX',
      `PromQL syntax error at ${at(expression, position)} (character ${position.from}): ${reason}, in ${JSON.stringify(expression)}`,
    );
    this.name = 'PromqlSyntaxError';
    this.expression = expression;
    this.position = position;
  }
}

/**
 * A valid PromQL expression using a construct Vigil does not evaluate (a subquery, `@`, a
 * function outside its subset): refused when the rule is added, never silently false.
 */
export class UnsupportedPromqlError extends VigilError {
  static override readonly brand = 'vigil.alerts.UnsupportedPromqlError';
  declare readonly code: 'PROMQL_UNSUPPORTED';
  readonly expression: string;
  /** The construct, such as `subquery`, `@ modifier` or `function label_replace`. */
  readonly construct: string;
  readonly position: Position;

  constructor(expression: string, construct: string, position: Position, hint = '') {
    super(
      'PROMQL_UNSUPPORTED',
      `${construct} at ${at(expression, position)} (character ${position.from}) is not in the PromQL subset Vigil evaluates${hint === '' ? '' : `: ${hint}`}, in ${JSON.stringify(expression)}`,
    );
    this.name = 'UnsupportedPromqlError';
    this.expression = expression;
    this.construct = construct;
    this.position = position;
  }
}

/**
 * Evaluating an expression failed at run time, as it would in Prometheus: many-to-many
 * matching, a duplicate output series.
 */
export class PromqlEvaluationError extends VigilError {
  static override readonly brand = 'vigil.alerts.PromqlEvaluationError';
  declare readonly code: 'PROMQL_EVALUATION';

  constructor(message: string) {
    super('PROMQL_EVALUATION', message);
    this.name = 'PromqlEvaluationError';
  }
}

/** A rule or rule file that is not valid: a missing name, a bad `for`, a duplicate. */
export class InvalidRuleError extends VigilError {
  static override readonly brand = 'vigil.alerts.InvalidRuleError';
  declare readonly code: 'INVALID_RULE';

  constructor(message: string, options?: ErrorOptions) {
    super('INVALID_RULE', message, options);
    this.name = 'InvalidRuleError';
  }
}

/** A label or annotation template that does not parse, or failed when expanded. */
export class TemplateError extends VigilError {
  static override readonly brand = 'vigil.alerts.TemplateError';
  declare readonly code: 'TEMPLATE_ERROR';
  readonly template: string;

  constructor(template: string, reason: string) {
    super('TEMPLATE_ERROR', `template ${JSON.stringify(template)}: ${reason}`);
    this.name = 'TemplateError';
    this.template = template;
  }
}

/**
 * A notification a channel could not deliver. `retryable`: whether trying again may help (a
 * timeout, a 5xx, a 429, a refused connection), not a 4xx that will fail the same way;
 * `retryAfter` (ms): the wait the receiver asked for. The message never holds a secret (a
 * webhook URL's token, a password).
 */
export class DeliveryError extends VigilError {
  static override readonly brand = 'vigil.alerts.DeliveryError';
  declare readonly code: 'DELIVERY_FAILED';
  readonly retryable: boolean;
  /** The HTTP status the receiver answered, if any. */
  readonly status: number | undefined;
  readonly retryAfter: number | undefined;

  constructor(
    message: string,
    details: { retryable: boolean; status?: number | undefined; retryAfter?: number | undefined },
    options?: ErrorOptions,
  ) {
    super('DELIVERY_FAILED', message, options);
    this.name = 'DeliveryError';
    this.retryable = details.retryable;
    this.status = details.status;
    this.retryAfter = details.retryAfter;
  }
}
