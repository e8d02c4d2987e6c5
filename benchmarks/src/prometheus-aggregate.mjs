// Placeholder: being written (issue 15).
export function promAggregateTargets() {
  return [];
}
export function renderPromAggregate() {
  return '';
}
export function renderPromAggregateAlone() {
  return '';
}
