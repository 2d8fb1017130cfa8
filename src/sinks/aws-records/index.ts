/**
 * What the Firehose and Kinesis sinks share: record formats and splitting,
 * batching at exact limits with optional aggregation, the client that
 * retries only the records that failed, its metrics, options and signed
 * destination. Each sink adds its API (body, answer, limits) and options.
 */
export {
  describeStream,
  readResults,
  UnreadableAnswerError,
  type RecordApi,
  type RecordError,
} from './api.js';
export { RecordBatch, RecordBatcher, type OutRecord, type Piece, type Run } from './batch.js';
export {
  NO_PARTITION_KEYS,
  RecordStreamClient,
  type PartitionKeys,
  type RecordClientDeps,
  type RecordClientSettings,
} from './client.js';
export {
  createRecordStreamDestination,
  regionalUrl,
  type RecordStreamDestinationOptions,
} from './destination.js';
export {
  encodeEntry,
  rfc3339Nano,
  visibleLabels,
  type EncodedEntry,
  type OversizedAction,
  type RecordFormat,
  type RecordFormatOptions,
} from './format.js';
export type { RecordLimits } from './limits.js';
export {
  createRecordSinkMetrics,
  type RecordDropReason,
  type RecordSinkMetrics,
} from './metrics.js';
export {
  RECORD_SINK_DEFAULTS,
  RecordSinkOptionsError,
  checkRecordClientOptions,
  recordClientSettings,
  resolveRecordSinkOptions,
  type RecordClientOptions,
  type RecordSinkCommonOptions,
  type RecordStreamSpec,
  type ResolvedRecordSinkOptions,
} from './options.js';
export { RecordsFailedError, classifyRecordSend, tooLargeVerdict } from './verdicts.js';
