/**
 * Decodes a Prometheus remote-write 1.0 body: snappy block format around a
 * protobuf `prometheus.WriteRequest`. Only what AMP stores is read — labels and
 * float samples; metadata, exemplars and native histograms are skipped.
 */
import protobuf from 'protobufjs';
import { uncompressSync } from 'snappy';

/** The subset of prometheus/prompb/remote.proto and types.proto this service reads. */
const PROTO = `
syntax = "proto3";
package prometheus;
message WriteRequest {
  repeated TimeSeries timeseries = 1;
  reserved 2;
}
message TimeSeries {
  repeated Label labels = 1;
  repeated Sample samples = 2;
}
message Label {
  string name = 1;
  string value = 2;
}
message Sample {
  double value = 1;
  int64 timestamp = 2;
}
`;

const WriteRequest = protobuf.parse(PROTO).root.lookupType('prometheus.WriteRequest');

export interface WireLabel {
  readonly name: string;
  readonly value: string;
}

export interface WireSample {
  readonly timestamp: number;
  readonly value: number;
  /** A Prometheus staleness marker: the series ended at this timestamp. */
  readonly stale: boolean;
}

export interface WireSeries {
  readonly labels: readonly WireLabel[];
  readonly samples: readonly WireSample[];
}

/** Thrown for a body that is not a snappy-compressed WriteRequest. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

export function decodeWriteRequest(body: Buffer): WireSeries[] {
  let raw: Buffer;
  try {
    const out = uncompressSync(body, { asBuffer: true });
    raw = typeof out === 'string' ? Buffer.from(out) : out;
  } catch (error) {
    throw new DecodeError(`body is not snappy block-compressed: ${messageOf(error)}`);
  }
  let decoded: Record<string, unknown>;
  try {
    // longs: Number, because millisecond timestamps fit a double exactly.
    decoded = WriteRequest.toObject(WriteRequest.decode(raw), {
      longs: Number,
      arrays: true,
      defaults: true,
    });
  } catch (error) {
    throw new DecodeError(`body is not a protobuf prometheus.WriteRequest: ${messageOf(error)}`);
  }
  return arrayOf(decoded['timeseries']).map(toSeries);
}

function toSeries(value: unknown): WireSeries {
  const series = recordOf(value);
  return {
    labels: arrayOf(series['labels']).map((item) => {
      const label = recordOf(item);
      return { name: stringOf(label['name']), value: stringOf(label['value']) };
    }),
    samples: arrayOf(series['samples']).map((item) => {
      const sample = recordOf(item);
      const sampleValue = numberOf(sample['value']);
      return {
        timestamp: numberOf(sample['timestamp']),
        value: sampleValue,
        stale: isStaleMarker(sampleValue),
      };
    }),
  };
}

// Prometheus marks staleness with the NaN whose bits are 0x7ff0000000000002.
// Engines may set the quiet bit when a NaN passes through a double, so that
// bit is ignored; an ordinary NaN (0x7ff8000000000001) still differs.
const STALE_BITS = 0x7ff0000000000002n;
const QUIET_BIT = 0x0008000000000000n;
const bitsView = new DataView(new ArrayBuffer(8));

export function isStaleMarker(value: number): boolean {
  if (!Number.isNaN(value)) return false;
  bitsView.setFloat64(0, value);
  return (bitsView.getBigUint64(0) & ~QUIET_BIT) === STALE_BITS;
}

// protobufjs's toObject yields exactly the schema's shape; these narrow its
// loosely typed result without casts, and fail loudly if that ever changes.
function recordOf(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw new DecodeError('malformed message');
  return value as Record<string, unknown>;
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
