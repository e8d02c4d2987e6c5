import protobuf from 'protobufjs/light.js';

/*
 * The messages of remote write 1.0, as a protobufjs JSON descriptor built in code (no .proto file
 * is read at run time). Transcribed from Prometheus's `prompb/types.proto` and
 * `prompb/remote.proto`, Copyright The Prometheus Authors, licensed under the Apache License,
 * Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0). Only the fields remote write 1.0
 * sends are declared: `WriteRequest.timeseries` (1), `TimeSeries.labels` (1) and `samples` (2),
 * `Label.name` (1) and `value` (2), `Sample.value` (1) and `timestamp` (2). Field 2 of
 * `WriteRequest` is reserved upstream; metadata (3), exemplars and native histograms are not sent.
 */
const PROMPB_DESCRIPTOR = {
  nested: {
    prometheus: {
      nested: {
        WriteRequest: {
          fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } },
          reserved: [[2, 2]],
        },
        TimeSeries: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            samples: { rule: 'repeated', type: 'Sample', id: 2 },
          },
        },
        Label: {
          fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } },
        },
        Sample: {
          fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } },
        },
      },
    },
  },
};

let writeRequest: protobuf.Type | undefined;

/** @internal The `prometheus.WriteRequest` message type, built on first use. */
export function writeRequestType(): protobuf.Type {
  writeRequest ??= protobuf.Root.fromJSON(PROMPB_DESCRIPTOR).lookupType('prometheus.WriteRequest');
  return writeRequest;
}
