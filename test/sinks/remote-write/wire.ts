/**
 * Independent readers of what the remote-write encoders produce: protobufjs
 * from a JSON descriptor (not the encoder's code), a snappy block decoder
 * written from the format description, and a minimal protobuf walk that
 * returns each sample's value as its raw 8 bytes (a JS number may lose a
 * staleness marker's exact NaN bits).
 */
import protobuf from 'protobufjs';
import { uncompressSync } from 'snappy';

const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: {
          fields: {
            timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 },
            metadata: { rule: 'repeated', type: 'MetricMetadata', id: 3 },
          },
        },
        MetricMetadata: {
          fields: {
            type: { type: 'MetricType', id: 1 },
            metric_family_name: { type: 'string', id: 2 },
            help: { type: 'string', id: 4 },
            unit: { type: 'string', id: 5 },
          },
        },
        // prompb/types.proto's MetricMetadata.MetricType.
        MetricType: {
          values: {
            UNKNOWN: 0,
            COUNTER: 1,
            GAUGE: 2,
            HISTOGRAM: 3,
            GAUGEHISTOGRAM: 4,
            SUMMARY: 5,
            INFO: 6,
            STATESET: 7,
          },
        },
        TimeSeries: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            samples: { rule: 'repeated', type: 'Sample', id: 2 },
          },
        },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: {
          fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } },
        },
      },
    },
  },
});
export const WriteRequestType = root.lookupType('prometheus.WriteRequest');

export interface DecodedSample {
  readonly value: number;
  readonly timestamp: number;
}

export interface DecodedSeries {
  readonly labels: { name: string; value: string }[];
  readonly samples: DecodedSample[];
}

/** protobufjs's reading of an uncompressed WriteRequest. */
export function decodeWithProtobufjs(raw: Uint8Array): DecodedSeries[] {
  const message = WriteRequestType.decode(raw);
  const object = WriteRequestType.toObject(message, {
    longs: Number,
    arrays: true,
    defaults: true,
  });
  return object['timeseries'] as DecodedSeries[];
}

export interface DecodedMetadata {
  readonly type: string;
  readonly metric_family_name: string;
  readonly help: string;
  readonly unit: string;
}

/** protobufjs's reading of the metadata of an uncompressed WriteRequest (enum names as strings). */
export function decodeMetadataWithProtobufjs(raw: Uint8Array): DecodedMetadata[] {
  const message = WriteRequestType.decode(raw);
  const object = WriteRequestType.toObject(message, {
    enums: String,
    arrays: true,
    defaults: true,
  });
  return object['metadata'] as DecodedMetadata[];
}

/** The snappy package's reading (Rust `snap`), which checks every copy's offset and the total length. */
export function uncompress(body: Uint8Array): Buffer {
  const out = uncompressSync(body, { asBuffer: true });
  return typeof out === 'string' ? Buffer.from(out) : out;
}

/** A snappy block decoder from the format description, strict about every element. */
export function specUncompress(body: Uint8Array): Buffer {
  let s = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    const b = body[s++];
    if (b === undefined) throw new Error('truncated length');
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  const out = Buffer.alloc(length);
  let d = 0;
  const byte = (): number => {
    const b = body[s++];
    if (b === undefined) throw new Error(`truncated element at ${s}`);
    return b;
  };
  while (s < body.length) {
    const tag = byte();
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const bytes = n - 59;
        n = 0;
        for (let k = 0; k < bytes; k++) n += byte() * 2 ** (8 * k);
      }
      n += 1;
      if (s + n > body.length || d + n > length) throw new Error(`literal overruns at ${s}`);
      Buffer.from(body.buffer, body.byteOffset + s, n).copy(out, d);
      s += n;
      d += n;
      continue;
    }
    let n: number;
    let offset: number;
    if (kind === 1) {
      n = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | byte();
    } else if (kind === 2) {
      n = (tag >>> 2) + 1;
      offset = byte() | (byte() << 8);
    } else {
      n = (tag >>> 2) + 1;
      offset = (byte() | (byte() << 8) | (byte() << 16) | (byte() << 24)) >>> 0;
    }
    if (offset === 0 || offset > d) throw new Error(`copy offset ${offset} invalid at output ${d}`);
    if (d + n > length) throw new Error(`copy overruns the stated length at ${d}`);
    for (let k = 0; k < n; k++, d++) out[d] = out[d - offset]!;
  }
  if (d !== length) throw new Error(`decoded ${d} bytes, the header says ${length}`);
  return out;
}

/** Every sample's value field as 8 raw bytes (hex, little-endian), in order. */
export function rawSampleValues(raw: Uint8Array): string[] {
  const values: string[] = [];
  walk(raw, 0, raw.length, (field, start, end) => {
    if (field !== 1) return;
    walk(raw, start, end, (tsField, sampleStart, sampleEnd) => {
      if (tsField !== 2) return;
      walk(raw, sampleStart, sampleEnd, (sampleField, valueStart) => {
        if (sampleField === 1) {
          values.push(Buffer.from(raw.subarray(valueStart, valueStart + 8)).toString('hex'));
        }
      });
    });
  });
  return values;
}

/** Calls `visit` for every field of the message in [start, end): payload range of length-delimited and fixed64 fields. */
function walk(
  raw: Uint8Array,
  start: number,
  end: number,
  visit: (field: number, start: number, end: number) => void,
): void {
  let p = start;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = raw[p++]!;
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
  };
  while (p < end) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 2) {
      const length = varint();
      visit(field, p, p + length);
      p += length;
    } else if (wire === 1) {
      visit(field, p, p + 8);
      p += 8;
    } else if (wire === 0) {
      varint();
    } else {
      throw new Error(`unexpected wire type ${wire}`);
    }
  }
}
