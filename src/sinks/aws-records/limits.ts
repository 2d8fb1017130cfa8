/**
 * What a record-stream API (Firehose PutRecordBatch, Kinesis PutRecords)
 * takes in one call. Each sink states its own numbers from the API
 * reference; the batcher and the encoder honour them exactly, so no call is
 * ever sent to be refused for its size.
 */
export interface RecordLimits {
  /** Records in one call. */
  readonly maxRecords: number;
  /** Bytes in one call: every record's data, plus its partition key where keys count. */
  readonly maxRequestBytes: number;
  /** Bytes in one record: its data, plus its partition key where keys count. */
  readonly maxRecordBytes: number;
  /** Whether the partition key's UTF-8 bytes count towards both byte limits (Kinesis). */
  readonly keyCounts: boolean;
}
