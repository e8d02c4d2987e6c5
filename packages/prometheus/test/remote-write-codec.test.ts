import protobuf from 'protobufjs';
import { compress, uncompress } from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { decodeWriteRequest, encodeWriteRequest, type WriteRequest } from '../src/index.js';

// The remote-write messages as Prometheus's prompb/types.proto and remote.proto declare them
// (Apache-2.0, The Prometheus Authors), parsed independently of the writer's JSON descriptor.
const PROMPB = `
syntax = "proto3";
package prometheus;
message WriteRequest {
  repeated TimeSeries timeseries = 1;
  reserved 2;
  repeated MetricMetadata metadata = 3;
}
message MetricMetadata { int32 type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
message Sample { double value = 1; int64 timestamp = 2; }
message Label { string name = 1; string value = 2; }
message TimeSeries {
  repeated Label labels = 1;
  repeated Sample samples = 2;
}
`;
const WriteRequestType = protobuf.parse(PROMPB).root.lookupType('prometheus.WriteRequest');

const REQUEST: WriteRequest = {
  timeseries: [
    {
      labels: [
        { name: '__name__', value: 'http_requests_total' },
        { name: 'method', value: 'GET' },
        { name: 'route', value: '/users/:id' },
      ],
      samples: [{ value: 42, timestamp: 1_767_225_600_123 }],
    },
    {
      labels: [
        { name: '__name__', value: 'latency_seconds_bucket' },
        { name: 'le', value: '+Inf' },
        { name: 'zone', value: 'é ü 😀' },
      ],
      samples: [{ value: 0.1 + 0.2, timestamp: 1 }],
    },
  ],
};

function decodeIndependently(body: Uint8Array) {
  const message = WriteRequestType.decode(uncompress(body));
  return WriteRequestType.toObject(message, { longs: Number, defaults: true, arrays: true });
}

describe('encodeWriteRequest', () => {
  it('is a snappy block of a prometheus.WriteRequest that decodes back to the same series', () => {
    const body = encodeWriteRequest(REQUEST);
    expect(decodeIndependently(body)).toEqual({ ...REQUEST, metadata: [] });
  });

  it('uses the snappy block format, not the framed stream format', () => {
    const body = encodeWriteRequest(REQUEST);
    // A framed stream starts with the stream identifier chunk 0xff 06 00 00 "sNaPpY".
    expect(Buffer.from(body.subarray(0, 10)).toString('latin1')).not.toContain('sNaPpY');
    const raw = WriteRequestType.encode(WriteRequestType.fromObject(REQUEST)).finish();
    // A block starts with the uncompressed length as a varint.
    expect(body[0]).toBe(raw.length < 128 ? raw.length : (raw.length & 0x7f) | 0x80);
    expect(Buffer.from(uncompress(body))).toEqual(Buffer.from(raw));
  });

  it('keeps NaN, ±Inf and 64-bit millisecond timestamps', () => {
    const request: WriteRequest = {
      timeseries: [
        {
          labels: [{ name: '__name__', value: 'g' }],
          samples: [
            { value: Number.NaN, timestamp: 2 ** 41 + 3 },
            { value: Number.POSITIVE_INFINITY, timestamp: 2 ** 52 },
            { value: Number.NEGATIVE_INFINITY, timestamp: 0 },
          ],
        },
      ],
    };
    const samples = decodeIndependently(encodeWriteRequest(request)).timeseries[0].samples;
    expect(samples).toEqual([
      { value: Number.NaN, timestamp: 2 ** 41 + 3 },
      { value: Number.POSITIVE_INFINITY, timestamp: 2 ** 52 },
      { value: Number.NEGATIVE_INFINITY, timestamp: 0 },
    ]);
  });

  it('encodes an empty request as an empty message', () => {
    expect(uncompress(encodeWriteRequest({ timeseries: [] }))).toHaveLength(0);
  });
});

describe('decodeWriteRequest', () => {
  it('reads what another encoder wrote, proto3 defaults included', () => {
    const raw = WriteRequestType.encode(
      WriteRequestType.fromObject({
        timeseries: [
          { labels: [{ name: '__name__', value: 'x' }], samples: [{ value: 0, timestamp: 0 }] },
        ],
      }),
    ).finish();
    expect(decodeWriteRequest(compress(raw))).toEqual({
      timeseries: [
        { labels: [{ name: '__name__', value: 'x' }], samples: [{ value: 0, timestamp: 0 }] },
      ],
    });
  });

  it('round-trips encodeWriteRequest', () => {
    expect(decodeWriteRequest(encodeWriteRequest(REQUEST))).toEqual(REQUEST);
  });

  it('throws on a body that is not snappy', () => {
    expect(() =>
      decodeWriteRequest(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
    ).toThrow();
  });
});
