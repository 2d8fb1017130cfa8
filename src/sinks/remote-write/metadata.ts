/**
 * Metric metadata for remote write 1.0, as Prometheus's metadata watcher
 * sends it every `metadata_config.send_interval`:
 *
 *   WriteRequest   { repeated MetricMetadata metadata = 3; }
 *   MetricMetadata { MetricType type = 1; string metric_family_name = 2;
 *                    string help = 4; string unit = 5; }
 *
 * Written by hand like the samples' encoder: four fields do not need a
 * protobuf library on the send path.
 */
import type { MetricMetadata } from '../../model/metadata.js';
import { uvarintSize, writeUvarint } from '../../model/varint.js';

export type { MetricMetadata };

/** prompb.MetricMetadata_MetricType. */
const TYPE_NUMBERS: Readonly<Record<string, number>> = {
  unknown: 0,
  untyped: 0,
  counter: 1,
  gauge: 2,
  histogram: 3,
  gaugehistogram: 4,
  summary: 5,
  info: 6,
  stateset: 7,
};

/** An uncompressed WriteRequest holding only metadata. */
export function encodeMetadataRequest(list: readonly MetricMetadata[]): Buffer {
  const entries = list.map((m) => {
    const family = Buffer.from(m.family, 'utf8');
    const help = Buffer.from(m.help, 'utf8');
    const unit = Buffer.from(m.unit, 'utf8');
    const type = TYPE_NUMBERS[m.type] ?? 0;
    let size = family.length > 0 ? 1 + uvarintSize(family.length) + family.length : 0;
    if (type !== 0) size += 1 + uvarintSize(type);
    if (help.length > 0) size += 1 + uvarintSize(help.length) + help.length;
    if (unit.length > 0) size += 1 + uvarintSize(unit.length) + unit.length;
    return { type, family, help, unit, size };
  });
  const total = entries.reduce((n, e) => n + 1 + uvarintSize(e.size) + e.size, 0);
  const out = Buffer.allocUnsafe(total);
  let p = 0;
  const bytesField = (tag: number, bytes: Buffer): void => {
    if (bytes.length === 0) return;
    out[p++] = tag;
    p = writeUvarint(out, p, bytes.length);
    p += bytes.copy(out, p);
  };
  for (const e of entries) {
    out[p++] = 0x1a; // WriteRequest.metadata, length-delimited
    p = writeUvarint(out, p, e.size);
    if (e.type !== 0) {
      out[p++] = 0x08; // MetricMetadata.type, varint
      p = writeUvarint(out, p, e.type);
    }
    bytesField(0x12, e.family); // metric_family_name
    bytesField(0x22, e.help); // help
    bytesField(0x2a, e.unit); // unit
  }
  return out.subarray(0, p);
}
