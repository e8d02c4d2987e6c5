/*
 * The messages between an aggregator and the processes it asks. Each carries a `vigil` tag (so it
 * never collides with the host's own IPC messages, and the host's never look like ours) and a
 * protocol version; a request carries an id, which its answer repeats, so that a late answer to an
 * earlier scrape is told apart and ignored.
 */

/** The tag of a request for a snapshot. */
export const AGGREGATION_REQUEST_TAG = 'vigil.aggregation.request';
/** The tag of the answer. */
export const AGGREGATION_RESPONSE_TAG = 'vigil.aggregation.response';
/** Bumped on any incompatible change of these messages. */
export const AGGREGATION_PROTOCOL_VERSION = 1;

/** Aggregator → worker: "send your snapshot". */
export interface SnapshotRequest {
  vigil: typeof AGGREGATION_REQUEST_TAG;
  protocol: typeof AGGREGATION_PROTOCOL_VERSION;
  /** Unique per aggregator and scrape: `<aggregator>:<scrape number>`. */
  id: string;
}

/** Worker → aggregator: the snapshot (`registry.snapshot()`), or why there is none. */
export interface SnapshotResponse {
  vigil: typeof AGGREGATION_RESPONSE_TAG;
  protocol: typeof AGGREGATION_PROTOCOL_VERSION;
  /** The id of the request answered. */
  id: string;
  /** The snapshot, its non-finite numbers spelt `'NaN'`, `'+Inf'`, `'-Inf'` (JSON IPC). */
  snapshot?: unknown;
  /** Set instead of `snapshot` when the worker could not take one. */
  error?: string;
}

function tagged(message: unknown, tag: string): message is Record<string, unknown> {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as Record<string, unknown>)['vigil'] === tag
  );
}

/** Whether `message` is a request of this protocol. */
export function isSnapshotRequest(message: unknown): message is SnapshotRequest {
  return (
    tagged(message, AGGREGATION_REQUEST_TAG) &&
    message['protocol'] === AGGREGATION_PROTOCOL_VERSION &&
    typeof message['id'] === 'string'
  );
}

/** Whether `message` is an answer of this protocol (its content is checked apart). */
export function isSnapshotResponse(message: unknown): message is SnapshotResponse {
  return tagged(message, AGGREGATION_RESPONSE_TAG) && typeof message['id'] === 'string';
}
