export {
  AlertEngine,
  type AlertEngineEvents,
  type RuleStatus,
} from './engine/alert-engine.js';
export type {
  AlertEngineOptions,
  AlertLeaseOptions,
  AlertStore,
} from './engine/alert-engine-options.js';
export {
  type AlertsRoute,
  type AlertsRouteProvider,
  type AlertsRouteReply,
  type AlertsRouteRequest,
  type AlertsRoutesSource,
  alertsRoutes,
} from './engine/alerts-routes.js';
export {
  ALERTS_ERROR_CODES,
  type AlertsErrorCode,
  DeliveryError,
  InvalidRuleError,
  PromqlEvaluationError,
  PromqlSyntaxError,
  TemplateError,
  UnsupportedPromqlError,
} from './errors.js';
export {
  type AlertFilter,
  AlertmanagerClient,
  type AlertmanagerStatus,
  type GettableAlert,
  type GettableSilence,
  type PostableAlert,
  type PostableSilence,
  type SilenceMatcher,
} from './notify/alertmanager/alertmanager-client.js';
export {
  type AlertmanagerForwarder,
  forwardToAlertmanager,
} from './notify/alertmanager/alertmanager-forwarder.js';
export type {
  AlertmanagerClientOptions,
  AlertmanagerConnection,
  AlertmanagerForwarderOptions,
  AlertmanagerTargets,
} from './notify/alertmanager/alertmanager-options.js';
export {
  type ConsoleChannelOptions,
  consoleChannel,
  formatNotification,
} from './notify/channels/console-channel.js';
export {
  type EmailChannelOptions,
  type EmailSmtpOptions,
  emailChannel,
} from './notify/channels/email-channel.js';
export { type SlackChannelOptions, slackChannel } from './notify/channels/slack-channel.js';
export {
  type VerifyWebhookSignatureOptions,
  verifyWebhookSignature,
  type WebhookChannelOptions,
  webhookChannel,
} from './notify/channels/webhook-channel.js';
export type { CooldownsConfig } from './notify/cooldowns.js';
export type { InhibitRuleConfig } from './notify/inhibitor.js';
export type { MatcherInput } from './notify/matchers.js';
export type {
  Channel,
  Notification,
  NotifiedAlert,
  SendOptions,
} from './notify/notification.js';
export {
  type AlertMuting,
  type DeadLetter,
  Notifier,
  type NotifierEvents,
} from './notify/notifier.js';
export type {
  EscalationConfig,
  NotifierOptions,
  ReceiverConfig,
} from './notify/notifier-options.js';
export type { RouteConfig } from './notify/route.js';
export type { Silence, SilenceInput, TimeInput } from './notify/silences.js';
export type { TimeIntervalConfig } from './notify/time-intervals.js';
export type {
  Aggregate,
  Binary,
  Call,
  Expr,
  LabelMatcher,
  MatrixSelector,
  Position,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './promql/ast.js';
export { type EvaluationContext, evaluate, LOOKBACK } from './promql/evaluate.js';
export type { Labels } from './promql/labels.js';
export { MemorySeries } from './promql/memory-series.js';
export { parsePromql } from './promql/parse-promql.js';
export type { SelectedSeries, SeriesSource } from './promql/series-source.js';
export type { RangeSeries, Sample, Value } from './promql/values.js';
export {
  type Alert,
  AlertingRule,
  type AlertingRuleConfig,
  type AlertRecord,
  type AlertState,
  type AlertTransition,
} from './rules/alerting-rule.js';
export {
  type AlertRuleDefinition,
  type AlertSeverity,
  type CheckedRule,
  checkRule,
  type RuleGroupDefinition,
} from './rules/rule-definition.js';
export {
  type ParsedRuleGroup,
  parseRuleFile,
  type RecordingRule,
  type RuleFileGroup,
  type RuleFileRule,
} from './rules/rule-file.js';
export {
  healthRules,
  httpRules,
  jobsRules,
  partnerRules,
  processRules,
} from './rules/rule-packs.js';
export type {
  Grouping,
  RuleFunction,
  RuleQuery,
  RuleResult,
  SeriesMatchers,
} from './rules/rule-query.js';
export { type CompiledTemplate, compileTemplate, type TemplateData } from './rules/template.js';
export {
  type ExportedGroup,
  type ExportOptions,
  prometheusDuration,
  toPrometheusRules,
} from './rules/to-prometheus-rules.js';
