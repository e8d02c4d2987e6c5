// Placeholder: being written (issue 15).
export function otelBridgeTargets() {
  return [];
}
export function renderOtelBridge() {
  return '';
}
export function renderOtelBridgeAlone() {
  return '';
}
