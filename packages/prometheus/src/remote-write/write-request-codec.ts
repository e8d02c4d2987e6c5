import { compress, uncompress } from 'snappyjs';
import { writeRequestType } from './prompb-descriptor.js';
import type { WriteRequest } from './write-request.js';

/**
 * The body of a remote-write request as it goes on the wire: `request` encoded as a protobuf
 * `prometheus.WriteRequest`, then compressed with Snappy's block format.
 */
export function encodeWriteRequest(request: WriteRequest): Uint8Array {
  const type = writeRequestType();
  return compress(type.encode(request).finish());
}

/**
 * The reverse of `encodeWriteRequest`: the `WriteRequest` in a body a sender posted. For tests
 * and small receivers.
 *
 * @throws Error when `body` is not a Snappy block holding a `prometheus.WriteRequest`.
 */
export function decodeWriteRequest(body: Uint8Array): WriteRequest {
  const type = writeRequestType();
  const message = type.decode(uncompress(body));
  const plain = type.toObject(message, { longs: Number, defaults: true, arrays: true });
  return plain as WriteRequest;
}
