/**
 * The Amazon Data Firehose client: log entries as records of a Direct PUT
 * delivery stream, sent with PutRecordBatch (JSON 1.1, `X-Amz-Target:
 * Firehose_20150804.PutRecordBatch`, each record's data base64). Limits from
 * the PutRecordBatch API reference: "up to 500 records. Each record in the
 * request can be as large as 1,000 KB (before base64 encoding), up to a
 * limit of 4 MB for the entire request. These limits cannot be changed."
 * 1,000 KB is the model's 1,024,000-byte ceiling on `Record.Data`; the 4 MB
 * is held as 4 MiB of data before encoding. Records that come back with an
 * ErrorCode (FailedPutCount > 0) are the only ones sent again
 * (../aws-records/client.ts).
 *
 * Records end in `\n` unless `newline: false`: Firehose concatenates them
 * into one object at the destination, where nothing else tells them apart.
 */
import {
  NO_PARTITION_KEYS,
  RecordSinkOptionsError,
  RecordStreamClient,
  checkRecordClientOptions,
  readResults,
  recordClientSettings,
  type RecordApi,
  type RecordClientDeps,
  type RecordClientOptions,
  type RecordLimits,
  type RecordStreamSpec,
} from '../aws-records/index.js';

export const FIREHOSE_LIMITS: RecordLimits = Object.freeze({
  maxRecords: 500,
  maxRequestBytes: 4 * 1024 * 1024,
  maxRecordBytes: 1_024_000,
  keyCounts: false,
});

export const FIREHOSE_TARGET = 'Firehose_20150804.PutRecordBatch';

export interface FirehoseClientOptions extends RecordClientOptions {
  /** `delivery_stream_name`: 1–64 of [a-zA-Z0-9_.-]. */
  readonly deliveryStreamName: string;
}

/** A Firehose client's options without its destination: what can be checked before any request. */
export type FirehoseSettings = Omit<FirehoseClientOptions, 'aws' | 'url'>;

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;

/** The delivery stream a client sends to, its name checked (RecordSinkOptionsError names the key). */
function firehoseSpec(options: FirehoseSettings): RecordStreamSpec {
  const path = options.path ?? 'firehose';
  const stream = options.deliveryStreamName;
  if (typeof stream !== 'string' || !STREAM_NAME.test(stream)) {
    throw new RecordSinkOptionsError(
      `${path}.delivery_stream_name: ${JSON.stringify(stream)} is not a delivery stream name`,
      { hint: 'give the name (not the ARN): 1 to 64 letters, digits, _ . or -' },
    );
  }
  return {
    service: 'firehose',
    stream,
    api: firehoseApi(stream),
    keys: NO_PARTITION_KEYS,
    newline: true,
    path,
    destination: `firehose delivery stream ${stream}`,
  };
}

/**
 * Refuses now, naming the key, every option the client would refuse when
 * built: `signet config check` and a pipeline's prepare call it before any
 * destination (and so any I/O) exists.
 */
export function checkFirehoseOptions(options: FirehoseSettings): void {
  checkRecordClientOptions(options, firehoseSpec(options));
}

export class FirehoseClient<Token> extends RecordStreamClient<Token> {
  constructor(options: FirehoseClientOptions, deps: RecordClientDeps<Token>) {
    super(recordClientSettings(options, firehoseSpec(options)), deps);
  }
}

export function firehoseApi(deliveryStreamName: string): RecordApi {
  const head = `{"DeliveryStreamName":${JSON.stringify(deliveryStreamName)},"Records":[`;
  return {
    target: FIREHOSE_TARGET,
    limits: FIREHOSE_LIMITS,
    body(records) {
      const parts = records.map((record) => `{"Data":"${record.data.toString('base64')}"}`);
      return Buffer.from(`${head}${parts.join(',')}]}`);
    },
    results: (answer, count) => readResults(answer, 'RequestResponses', 'FailedPutCount', count),
    describe: {
      target: 'Firehose_20150804.DescribeDeliveryStream',
      body: JSON.stringify({ DeliveryStreamName: deliveryStreamName }),
    },
  };
}
