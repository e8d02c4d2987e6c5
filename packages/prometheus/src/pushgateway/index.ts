export type { GroupingLabels } from './grouping-path.js';
export { PROTOBUF_CONTENT_TYPE } from './metric-family-protobuf.js';
export {
  PeriodicPusher,
  type PeriodicPusherCloseResult,
  type PeriodicPusherStats,
} from './periodic-pusher.js';
export type { PeriodicPusherOptions } from './periodic-pusher-options.js';
export { type PushGroup, Pushgateway } from './pushgateway.js';
export type { BasicAuth, PushFormat, PushgatewayOptions } from './pushgateway-options.js';
