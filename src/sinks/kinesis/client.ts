/**
 * The Kinesis Data Streams client: log entries as records of a data stream,
 * sent with PutRecords (JSON 1.1, `X-Amz-Target: Kinesis_20131202.PutRecords`,
 * data base64). Limits from the PutRecords API reference: "up to 500
 * records. Each record in the request can be as large as 1 MiB, up to a
 * limit of 5 MiB for the entire request, including partition keys", and
 * "the record size limit applies to the total size of the partition key and
 * data blob"; partition keys are 1–256 Unicode characters (API model), and
 * their UTF-8 bytes are what counts. (Streams may since raise their record
 * ceiling, MaxRecordSizeInKiB; 1 MiB is the default this client keeps to.)
 * Records that come back with an ErrorCode (FailedRecordCount > 0) are the
 * only ones sent again (../aws-records/client.ts).
 *
 * The stream is named by `stream_name` or `stream_arn` (AWS recommends the
 * ARN; the call then carries StreamARN).
 */
import {
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
import { partitionKeys } from './partition-key.js';

export const KINESIS_LIMITS: RecordLimits = Object.freeze({
  maxRecords: 500,
  maxRequestBytes: 5 * 1024 * 1024,
  maxRecordBytes: 1024 * 1024,
  keyCounts: true,
});

export const KINESIS_TARGET = 'Kinesis_20131202.PutRecords';

export interface KinesisClientOptions extends RecordClientOptions {
  /** `stream_name`: 1–128 of [a-zA-Z0-9_.-]; or give `streamArn`. */
  readonly streamName?: string | undefined;
  /** `stream_arn`: `arn:aws:kinesis:<region>:<account>:stream/<name>`. */
  readonly streamArn?: string | undefined;
  /** `partition_key`: a template over the entry's labels; a hash of each record's data when absent. */
  readonly partitionKey?: string | undefined;
}

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const STREAM_ARN = /^arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})$/;

/** The region, account and name of a stream ARN, or undefined when it is not one. */
export function parseKinesisStreamArn(
  arn: string,
): { region: string; account: string; name: string } | undefined {
  const match = STREAM_ARN.exec(arn);
  return match ? { region: match[1]!, account: match[2]!, name: match[3]! } : undefined;
}

/** A Kinesis client's options without its destination: what can be checked before any request. */
export type KinesisSettings = Omit<KinesisClientOptions, 'aws' | 'url'>;

/** The stream a client sends to and its partition keys, checked (RecordSinkOptionsError names the key). */
function kinesisSpec(options: KinesisSettings): RecordStreamSpec {
  const path = options.path ?? 'kinesis';
  const { streamName, streamArn } = options;
  let stream: string;
  let ref: Record<string, string>;
  if (streamArn !== undefined) {
    if (streamName !== undefined) {
      throw new RecordSinkOptionsError(`${path}: stream_name and stream_arn are both set`, {
        hint: 'keep one of them (the ARN names the account and region as well)',
      });
    }
    const parsed = parseKinesisStreamArn(streamArn);
    if (!parsed) {
      throw new RecordSinkOptionsError(
        `${path}.stream_arn: ${JSON.stringify(streamArn)} is not a Kinesis stream ARN`,
        { hint: 'give arn:aws:kinesis:<region>:<account>:stream/<name>' },
      );
    }
    stream = parsed.name;
    ref = { StreamARN: streamArn };
  } else {
    if (typeof streamName !== 'string' || !STREAM_NAME.test(streamName)) {
      throw new RecordSinkOptionsError(
        `${path}.stream_name: ${JSON.stringify(streamName)} is not a stream name`,
        { hint: 'give the name (1 to 128 letters, digits, _ . or -) or stream_arn' },
      );
    }
    stream = streamName;
    ref = { StreamName: streamName };
  }
  return {
    service: 'kinesis',
    stream,
    api: kinesisApi(ref),
    keys: partitionKeys(options.partitionKey, `${path}.partition_key`),
    newline: false,
    path,
    destination: `kinesis stream ${stream}`,
  };
}

/**
 * Refuses now, naming the key, every option the client would refuse when
 * built: `signet config check` and a pipeline's prepare call it before any
 * destination (and so any I/O) exists.
 */
export function checkKinesisOptions(options: KinesisSettings): void {
  checkRecordClientOptions(options, kinesisSpec(options));
}

export class KinesisClient<Token> extends RecordStreamClient<Token> {
  constructor(options: KinesisClientOptions, deps: RecordClientDeps<Token>) {
    super(recordClientSettings(options, kinesisSpec(options)), deps);
  }
}

/** `ref` is `{ StreamName }` or `{ StreamARN }`. */
export function kinesisApi(ref: Readonly<Record<string, string>>): RecordApi {
  const head = `${JSON.stringify(ref).slice(0, -1)},"Records":[`;
  return {
    target: KINESIS_TARGET,
    limits: KINESIS_LIMITS,
    body(records) {
      const parts = records.map(
        (record) =>
          `{"Data":"${record.data.toString('base64')}","PartitionKey":${JSON.stringify(record.key ?? '')}}`,
      );
      return Buffer.from(`${head}${parts.join(',')}]}`);
    },
    results: (answer, count) => readResults(answer, 'Records', 'FailedRecordCount', count),
    describe: { target: 'Kinesis_20131202.DescribeStreamSummary', body: JSON.stringify(ref) },
  };
}
