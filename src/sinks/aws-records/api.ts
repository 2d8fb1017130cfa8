/**
 * What a record-stream sink tells the shared client about its API: the
 * operation, the limits, how a call's body is written and how its answer
 * says which records failed. Both APIs answer 200 with a list as long as
 * the request's, in the same order, each entry either the stored record's
 * id or its `ErrorCode` and `ErrorMessage`.
 */
import type { AwsClient } from '../../aws/http/aws-client.js';
import type { OutRecord } from './batch.js';
import type { RecordLimits } from './limits.js';

export interface RecordError {
  readonly code: string;
  readonly message: string;
}

export interface RecordApi {
  /** `X-Amz-Target`, e.g. `Firehose_20150804.PutRecordBatch`. */
  readonly target: string;
  readonly limits: RecordLimits;
  /** The JSON 1.1 body of one call carrying `records`. */
  body(records: readonly OutRecord[]): Buffer;
  /**
   * Per record of the call, in order: undefined when it was stored, else its
   * error. Throws when the answer does not say, for every record, which.
   */
  results(answer: unknown, count: number): (RecordError | undefined)[];
  /**
   * The harmless call that says whether the stream exists and the caller may
   * see it (DescribeDeliveryStream, DescribeStreamSummary): `signet doctor`'s probe.
   */
  readonly describe: { readonly target: string; readonly body: string };
}

/**
 * Sends `api.describe`; resolves with the answer's JSON, or throws an
 * AwsError (ResourceNotFoundException for a missing stream) or NetworkError.
 */
export async function describeStream(
  aws: AwsClient,
  url: string,
  api: RecordApi,
): Promise<unknown> {
  const response = await aws.send({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': api.describe.target },
    body: api.describe.body,
  });
  return JSON.parse(response.body.toString('utf8')) as unknown;
}

/** An answer that is not the API's: every record is treated as failed and retried. */
export class UnreadableAnswerError extends Error {
  override readonly name = 'UnreadableAnswerError';
}

/** The per-record list of a PutRecordBatch or PutRecords answer, checked against the request. */
export function readResults(
  answer: unknown,
  listKey: string,
  failedKey: string,
  count: number,
): (RecordError | undefined)[] {
  const object = answer as Record<string, unknown> | null;
  const list = object?.[listKey];
  if (!Array.isArray(list) || list.length !== count) {
    throw new UnreadableAnswerError(
      `the answer's ${listKey} has ${Array.isArray(list) ? list.length : 'no'} entries for ${count} records`,
    );
  }
  let failed = 0;
  const results = list.map((item: unknown) => {
    const entry = (item ?? {}) as Record<string, unknown>;
    if (typeof entry['ErrorCode'] === 'string' && entry['ErrorCode'] !== '') {
      failed++;
      return {
        code: entry['ErrorCode'],
        message: typeof entry['ErrorMessage'] === 'string' ? entry['ErrorMessage'] : '',
      };
    }
    return undefined;
  });
  const said = object?.[failedKey];
  if (typeof said === 'number' && said !== failed) {
    throw new UnreadableAnswerError(
      `the answer's ${failedKey} is ${said} but ${failed} records carry an ErrorCode`,
    );
  }
  return results;
}
