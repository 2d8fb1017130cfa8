/**
 * The self-metrics of a record-stream sink (Firehose, Kinesis), named after
 * the Loki clients' (`…_sent_entries_total`, `…_dropped_entries_total`,
 * `…_request_duration_seconds`, `…_batch_retries_total`) under the sink's
 * own prefix, `signet_firehose` or `signet_kinesis`, with the record-level
 * counts those APIs add. One set per agent and prefix, shared by every
 * client of the sink, each filling in its `stream`.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

/** Why entries or records were dropped for good, the `reason` label. */
export type RecordDropReason =
  | 'too_large' // an entry over the record limit with `oversized: drop`, or JSON labels alone over it
  | 'invalid'; // a single record the API refused for good (never sent to be refused on size)

export interface RecordSinkMetrics {
  readonly sentEntries: Counter<'stream'>;
  readonly sentRecords: Counter<'stream'>;
  readonly sentBytes: Counter<'stream'>;
  /** Records the API answered with a per-record ErrorCode (each is retried). */
  readonly failedRecords: Counter<'stream' | 'code'>;
  readonly retriedRecords: Counter<'stream'>;
  readonly droppedEntries: Counter<'stream' | 'reason'>;
  readonly droppedRecords: Counter<'stream' | 'reason'>;
  readonly droppedBytes: Counter<'stream' | 'reason'>;
  /** Entries over the record limit, by what was done: split, truncated, dropped. */
  readonly oversizedEntries: Counter<'stream' | 'action'>;
  readonly batchRecords: Histogram<'stream'>;
  readonly batchBytes: Histogram<'stream'>;
  readonly requestDuration: Histogram<'stream' | 'status_code'>;
  readonly batchRetries: Counter<'stream'>;
}

/** `prefix` is `signet_firehose` or `signet_kinesis`; a second call on one Registry reuses the first's. */
export function createRecordSinkMetrics(
  registry: Registry,
  prefix: string,
  what: string,
): RecordSinkMetrics {
  const counter = <L extends string>(suffix: string, help: string, labelNames: readonly L[]) => {
    const name = `${prefix}_${suffix}`;
    return (
      (registry.getSingleMetric(name) as Counter<L> | undefined) ??
      new Counter<L>({ name, help, labelNames, registers: [registry] })
    );
  };
  const histogram = <L extends string>(
    suffix: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ) => {
    const name = `${prefix}_${suffix}`;
    return (
      (registry.getSingleMetric(name) as Histogram<L> | undefined) ??
      new Histogram<L>({ name, help, labelNames, buckets, registers: [registry] })
    );
  };
  return {
    sentEntries: counter('sent_entries_total', `Log entries ${what} accepted.`, ['stream']),
    sentRecords: counter('sent_records_total', `Records ${what} accepted.`, ['stream']),
    sentBytes: counter('sent_bytes_total', `Bytes of record data ${what} accepted.`, ['stream']),
    failedRecords: counter(
      'failed_records_total',
      `Records ${what} answered with a per-record error code; each is retried.`,
      ['stream', 'code'],
    ),
    retriedRecords: counter(
      'retried_records_total',
      'Records sent again after a failure (per record and retry).',
      ['stream'],
    ),
    droppedEntries: counter('dropped_entries_total', 'Log entries dropped for good, by reason.', [
      'stream',
      'reason',
    ]),
    droppedRecords: counter('dropped_records_total', 'Records dropped for good, by reason.', [
      'stream',
      'reason',
    ]),
    droppedBytes: counter('dropped_bytes_total', 'Bytes dropped for good, by reason.', [
      'stream',
      'reason',
    ]),
    oversizedEntries: counter(
      'oversized_entries_total',
      'Log entries over the record limit, by what was done (split, truncated, dropped).',
      ['stream', 'action'],
    ),
    batchRecords: histogram(
      'batch_records',
      'Records per call.',
      ['stream'],
      [1, 5, 10, 25, 50, 100, 250, 500],
    ),
    batchBytes: histogram(
      'batch_bytes',
      'Bytes of record data (and partition keys) per call.',
      ['stream'],
      [1024, 16384, 65536, 262144, 1048576, 2097152, 4194304, 5242880],
    ),
    requestDuration: histogram(
      'request_duration_seconds',
      'Duration of send requests.',
      ['stream', 'status_code'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    batchRetries: counter('batch_retries_total', 'Calls that had to be sent again.', ['stream']),
  };
}
