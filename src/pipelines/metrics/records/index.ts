/** The metrics pipeline's WAL records: series definitions, then samples that refer to them. */
import { WalRecordKinds } from '../../../buffer/wal/index.js';
import { SAMPLES_RECORD } from './samples.js';
import { SERIES_RECORD } from './series.js';

export { SAMPLES_PER_RECORD, SAMPLES_RECORD } from './samples.js';
export { SERIES_RECORD, type WalSeries } from './series.js';

/** The record kinds of a metrics WAL. */
export const METRICS_RECORDS = new WalRecordKinds([SERIES_RECORD, SAMPLES_RECORD]);
