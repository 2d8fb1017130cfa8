/**
 * PutRecord and PutRecordBatch: the limits AWS enforces on them, per-record
 * failures for PutRecordBatch, and storing what was accepted.
 *
 * Limits, from the PutRecordBatch API reference
 * (https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html,
 * also in @aws-sdk/client-firehose's PutRecordBatchCommand docs): "up to 500
 * records. Each record in the request can be as large as 1,000 KB (before
 * base64 encoding), up to a limit of 4 MB for the entire request. These limits
 * cannot be changed." The record limit is the API model's constraint on
 * `Record.Data` (1,024,000 bytes); AWS reports it, and the 500-record limit, as
 * ValidationException naming `records.N.member.data` (1-based). The 4 MB limit
 * is counted on decoded data (4 MiB = 4,194,304 bytes, as producers observe it)
 * and answered `InvalidArgumentException: Records size exceeds 4 MB limit`,
 * the text producers log from AWS (e.g. osquery/osquery#3568).
 */
import { randomBytes } from 'node:crypto';
import { ServiceError, type LocalRequest, type LocalResponse } from '../../service.js';
import { faultError, streamForPut, type FirehoseContext } from './context.js';
import { recordFault } from '../record-faults.js';
import type { StoredStream } from './state.js';
import {
  checkStreamName,
  decodeBlob,
  describeBlob,
  jsonResponse,
  optionalObject,
  optionalObjects,
  optionalString,
  Violations,
  type JsonObject,
} from './wire.js';

export const MAX_BATCH_RECORDS = 500;
export const MAX_RECORD_BYTES = 1_024_000;
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** Firehose record ids are long opaque strings; random base64 of similar length will do. */
function newRecordId(): string {
  return randomBytes(168).toString('base64');
}

function store(stream: StoredStream, data: Buffer, now: number): string {
  const id = newRecordId();
  stream.records.push({ id, data: data.toString('base64'), at: now });
  return id;
}

/** Checks one record's `Data`, returning it when present. */
function checkData(
  record: JsonObject | undefined,
  path: string,
  violations: Violations,
): Buffer | undefined {
  if (record === undefined) {
    violations.missing(path);
    return undefined;
  }
  const data = decodeBlob(record['Data'], `${path}.data`);
  if (data === undefined) {
    violations.missing(`${path}.data`);
  } else if (data.length > MAX_RECORD_BYTES) {
    violations.add(
      describeBlob(data),
      `${path}.data`,
      `must have length less than or equal to ${MAX_RECORD_BYTES}`,
    );
  }
  return data;
}

export function putRecord(
  ctx: FirehoseContext,
  req: LocalRequest,
  body: JsonObject,
): LocalResponse {
  const violations = new Violations();
  const name = optionalString(body, 'DeliveryStreamName');
  checkStreamName(name, 'deliveryStreamName', 64, violations);
  const data = checkData(optionalObject(body, 'Record'), 'record', violations);
  violations.throwIfAny();
  // Both are present once the checks above passed; the guard satisfies the compiler.
  if (name === undefined || data === undefined) throw new Error('unreachable');

  const stream = streamForPut(ctx, req, name);
  const fault = recordFault(ctx.options, req, 0, data, stream.name);
  if (fault !== undefined) {
    ctx.save(); // the stream may have just been auto-created
    throw faultError(fault);
  }
  const id = store(stream, data, req.now);
  ctx.save();
  return jsonResponse({ RecordId: id, Encrypted: false });
}

export function putRecordBatch(
  ctx: FirehoseContext,
  req: LocalRequest,
  body: JsonObject,
): LocalResponse {
  const violations = new Violations();
  const name = optionalString(body, 'DeliveryStreamName');
  checkStreamName(name, 'deliveryStreamName', 64, violations);
  const records = optionalObjects(body, 'Records');
  const decoded: Buffer[] = [];
  if (records === undefined) {
    violations.missing('records');
  } else if (records.length < 1) {
    violations.add(undefined, 'records', 'must have length greater than or equal to 1');
  } else if (records.length > MAX_BATCH_RECORDS) {
    violations.add(
      undefined,
      'records',
      `must have length less than or equal to ${MAX_BATCH_RECORDS}`,
    );
  } else {
    records.forEach((record, i) => {
      const data = checkData(record, `records.${i + 1}.member`, violations);
      if (data !== undefined) decoded.push(data);
    });
  }
  violations.throwIfAny();
  if (name === undefined) throw new Error('unreachable');

  const total = decoded.reduce((sum, data) => sum + data.length, 0);
  if (total > MAX_BATCH_BYTES) {
    throw new ServiceError('InvalidArgumentException', 'Records size exceeds 4 MB limit');
  }

  const stream = streamForPut(ctx, req, name);
  let failed = 0;
  const responses = decoded.map((data, index) => {
    const fault = recordFault(ctx.options, req, index, data, stream.name);
    if (fault !== undefined) {
      failed += 1;
      return { ErrorCode: fault.code, ErrorMessage: fault.message };
    }
    return { RecordId: store(stream, data, req.now) };
  });
  ctx.save();
  return jsonResponse({ FailedPutCount: failed, Encrypted: false, RequestResponses: responses });
}
