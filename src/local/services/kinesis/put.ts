/**
 * PutRecord and PutRecords: the limits AWS enforces, per-record failures for
 * PutRecords, and routing each record to its shard by the MD5 of its
 * partition key (or its ExplicitHashKey).
 *
 * Limits, from the PutRecords API reference
 * (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html and
 * @aws-sdk/client-kinesis's PutRecordsCommand docs): "up to 500 records. Each
 * record in the request can be as large as 10 MiB, up to a limit of 10 MiB for
 * the entire request, including partition keys". signet local holds a whole
 * request to 5 MiB (5,242,880 bytes of data plus partition keys), the limit
 * AWS long documented and many producers still size their batches by, so a
 * producer that batches for the older, stricter limit is checked against it.
 * Since 2025 the per-record
 * ceiling is a stream setting, MaxRecordSizeInKiB, 1 MiB unless raised
 * (https://docs.aws.amazon.com/streams/latest/dev/large-records.html), and
 * "the record size limit applies to the total size of the partition key and
 * data blob". Partition keys are 1 to 256 characters (API model). Model
 * constraint failures are ValidationException naming `records.N.member.…`
 * (1-based); an oversized request is InvalidArgumentException "Records size
 * exceeds … MB limit", the text producers log from AWS.
 */
import type { LocalRequest, LocalResponse } from '../../service.js';
import { ServiceError } from '../../service.js';
import { faultError } from '../firehose/context.js';
import { recordFault } from '../record-faults.js';
import {
  decodeBlob,
  describeBlob,
  jsonResponse,
  optionalObjects,
  optionalString,
  Violations,
  type JsonObject,
} from '../firehose/wire.js';
import { findStream, requireStreamRef, type KinesisContext } from './context.js';
import {
  hashKeyOf,
  MAX_HASH_KEY,
  nextSequenceNumber,
  shardFor,
  type StoredStream,
} from './state.js';

export const MAX_PUT_RECORDS = 500;
/** The API model's ceiling on one record's Data, whatever the stream allows. */
export const MAX_DATA_BYTES = 10 * 1024 * 1024;
/** The ceiling on a whole PutRecords request, data plus partition keys: 5 MiB. */
export const MAX_REQUEST_BYTES = 5 * 1024 * 1024;
export const MAX_PARTITION_KEY_CHARS = 256;

interface Entry {
  readonly data: Buffer;
  readonly key: string;
  readonly explicitHashKey: string | undefined;
}

/** Checks one record's members against the model; `prefix` is '' or 'records.N.member.'. */
function checkEntry(obj: JsonObject, prefix: string, violations: Violations): Entry | undefined {
  const data = decodeBlob(obj['Data'], `${prefix}data`);
  const key = optionalString(obj, 'PartitionKey');
  const explicitHashKey = optionalString(obj, 'ExplicitHashKey');
  if (data === undefined) violations.missing(`${prefix}data`);
  else if (data.length > MAX_DATA_BYTES) {
    violations.add(
      describeBlob(data),
      `${prefix}data`,
      `must have length less than or equal to ${MAX_DATA_BYTES}`,
    );
  }
  if (key === undefined) violations.missing(`${prefix}partitionKey`);
  else {
    // The model counts characters (code points), not bytes or UTF-16 units.
    const chars = [...key].length;
    if (chars < 1)
      violations.add(
        `'${key}'`,
        `${prefix}partitionKey`,
        'must have length greater than or equal to 1',
      );
    if (chars > MAX_PARTITION_KEY_CHARS) {
      violations.add(
        `'${key}'`,
        `${prefix}partitionKey`,
        `must have length less than or equal to ${MAX_PARTITION_KEY_CHARS}`,
      );
    }
  }
  if (explicitHashKey !== undefined && !/^(0|[1-9]\d{0,38})$/.test(explicitHashKey)) {
    violations.add(
      `'${explicitHashKey}'`,
      `${prefix}explicitHashKey`,
      'must satisfy regular expression pattern: 0|([1-9]\\d{0,38})',
    );
  }
  return data === undefined || key === undefined ? undefined : { data, key, explicitHashKey };
}

function recordBytes(entry: Entry): number {
  return entry.data.length + Buffer.byteLength(entry.key, 'utf8');
}

/** The stream's own record ceiling (data + key), reported like the model's. */
function checkFits(
  stream: StoredStream,
  entry: Entry,
  prefix: string,
  violations: Violations,
): void {
  const max = stream.maxRecordKiB * 1024;
  if (recordBytes(entry) > max) {
    violations.add(
      describeBlob(entry.data),
      `${prefix}data`,
      `must have length less than or equal to ${max}`,
    );
  }
}

function hashKey(entry: Entry): bigint {
  if (entry.explicitHashKey === undefined) return hashKeyOf(entry.key);
  const value = BigInt(entry.explicitHashKey);
  if (value > MAX_HASH_KEY) {
    throw new ServiceError(
      'InvalidArgumentException',
      `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${entry.explicitHashKey}`,
    );
  }
  return value;
}

function store(stream: StoredStream, entry: Entry, hash: bigint, now: number) {
  const shard = shardFor(stream, hash);
  const seq = nextSequenceNumber(stream);
  shard.records.push({ seq, key: entry.key, data: entry.data.toString('base64'), at: now });
  return { SequenceNumber: seq, ShardId: shard.id };
}

export function putRecord(ctx: KinesisContext, req: LocalRequest, body: JsonObject): LocalResponse {
  const ref = requireStreamRef(req, body);
  const violations = new Violations();
  const entry = checkEntry(body, '', violations);
  violations.throwIfAny();
  if (entry === undefined) throw new Error('unreachable: the checks above passed');

  const stream = findStream(ctx, ref, req.now);
  checkFits(stream, entry, '', violations);
  violations.throwIfAny();
  const hash = hashKey(entry);
  const fault = recordFault(ctx.options, req, 0, entry.data, stream.name);
  if (fault !== undefined) throw faultError(fault);
  const result = store(stream, entry, hash, req.now);
  ctx.save();
  return jsonResponse({ ...result, EncryptionType: 'NONE' });
}

export function putRecords(
  ctx: KinesisContext,
  req: LocalRequest,
  body: JsonObject,
): LocalResponse {
  const ref = requireStreamRef(req, body);
  const violations = new Violations();
  const records = optionalObjects(body, 'Records');
  const entries: Entry[] = [];
  if (records === undefined) violations.missing('records');
  else if (records.length < 1)
    violations.add(undefined, 'records', 'must have length greater than or equal to 1');
  else if (records.length > MAX_PUT_RECORDS) {
    violations.add(
      undefined,
      'records',
      `must have length less than or equal to ${MAX_PUT_RECORDS}`,
    );
  } else {
    records.forEach((record, i) => {
      const entry = checkEntry(record, `records.${i + 1}.member.`, violations);
      if (entry !== undefined) entries.push(entry);
    });
  }
  violations.throwIfAny();

  const stream = findStream(ctx, ref, req.now);
  entries.forEach((entry, i) => checkFits(stream, entry, `records.${i + 1}.member.`, violations));
  violations.throwIfAny();
  const total = entries.reduce((sum, entry) => sum + recordBytes(entry), 0);
  if (total > MAX_REQUEST_BYTES) {
    throw new ServiceError('InvalidArgumentException', 'Records size exceeds 5 MB limit');
  }
  const hashes = entries.map(hashKey);

  let failed = 0;
  const results = entries.map((entry, index) => {
    const fault = recordFault(ctx.options, req, index, entry.data, stream.name);
    if (fault !== undefined) {
      failed += 1;
      return { ErrorCode: fault.code, ErrorMessage: fault.message };
    }
    return store(stream, entry, hashes[index] ?? 0n, req.now);
  });
  ctx.save();
  return jsonResponse({ FailedRecordCount: failed, Records: results, EncryptionType: 'NONE' });
}
