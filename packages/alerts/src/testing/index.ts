// `@vigil/alerts/testing`: unit-test alert rules the way Prometheus users do, with promtool's
// test files, through Vigil's evaluator.
export { describeRuleTests } from './describe-rule-tests.js';
export { type RuleTestResult, runRuleTests } from './run-rule-tests.js';
export { expandSeriesValues, type SeriesValue } from './series-notation.js';
