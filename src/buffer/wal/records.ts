/** What a WAL record holds once decoded, as readers see it. */
import type { SampleBatch } from '../../model/series.js';
import { RECORD_SAMPLES, RECORD_SERIES } from './format.js';
import { decodeSamples } from './samples-codec.js';
import type { RawRecord } from './segment-reader.js';
import { decodeSeries, type WalSeries } from './series-codec.js';
import { MalformedRecordError } from './varint.js';

export type { WalSeries } from './series-codec.js';

export type WalRecord =
  | { readonly kind: 'series'; readonly series: readonly WalSeries[] }
  | { readonly kind: 'samples'; readonly batch: SampleBatch };

/** Throws MalformedRecordError for a payload this code did not write. */
export function decodeRecord(raw: RawRecord): WalRecord {
  if (raw.type === RECORD_SERIES) {
    return { kind: 'series', series: decodeSeries(raw.buf, raw.payloadStart, raw.payloadEnd) };
  }
  if (raw.type === RECORD_SAMPLES) {
    return { kind: 'samples', batch: decodeSamples(raw.buf, raw.payloadStart, raw.payloadEnd) };
  }
  throw new MalformedRecordError(`unknown record type ${raw.type}`);
}
