/**
 * What a failed record-stream call means, in the shared vocabulary
 * (../shared/verdict.ts): records that failed one by one (a throughput
 * limit, an internal failure) are retried on their own; a KMS key the
 * stream may not use, per call or per record, holds them for a person to
 * fix (the shared classification would take such a 400 for a bad request
 * and drop it); everything else is the shared classification's, with 429
 * retried.
 */
import { AwsError } from '../../aws/errors/index.js';
import { classifySendError } from '../shared/classify.js';
import type { Verdict } from '../shared/verdict.js';
import type { RecordError } from './api.js';

/** Some records of a call failed; the others were delivered and finished. */
export class RecordsFailedError extends Error {
  override readonly name = 'RecordsFailedError';
  constructor(
    readonly failed: number,
    readonly sent: number,
    readonly first: RecordError,
  ) {
    super(
      `${failed} of ${failed + sent} records failed (${first.code}${first.message ? `: ${first.message}` : ''}); sending only those again`,
    );
  }
}

// Refusals a person must fix (a KMS key disabled or not allowed), per record or per call.
const HELD_CODES =
  /AccessDenied|^KMS(?:Disabled|InvalidState|NotFound|OptInRequired)|InvalidKMSResource/;

export function classifyRecordSend(error: unknown): Verdict {
  if (error instanceof RecordsFailedError) {
    const held = HELD_CODES.test(error.first.code);
    return {
      action: held ? 'hold' : 'retry',
      ...(held ? { blocked: 'access-denied' as const } : {}),
      cause: `AWS ${error.first.code} for some records`,
      message: error.message,
      hint: held
        ? 'the records are refused until the stream may use its KMS key: check the key and its policy'
        : 'the stream is over its throughput; records that failed are sent again on their own',
    };
  }
  if (error instanceof AwsError && HELD_CODES.test(error.code)) {
    return {
      action: 'hold',
      blocked: 'access-denied',
      cause: `AWS ${error.code}`,
      status: error.status,
      message: error.message,
      hint: error.hint,
    };
  }
  return classifySendError(error, { retryOnHttp429: true });
}

/** An entry that cannot become a record: over the limit with `oversized: drop`, or JSON labels alone over it. */
export function tooLargeVerdict(
  lineBytes: number,
  maxRecordBytes: number,
  json: boolean,
  dropOversized: boolean,
): Verdict {
  return {
    action: 'drop',
    cause: 'too large',
    dropReason: 'too-large',
    message: `a ${lineBytes}-byte line does not fit a record of at most ${maxRecordBytes} bytes${json ? ' with its labels' : ''}`,
    hint: dropOversized
      ? 'set oversized to split (or truncate) to send long lines in pieces'
      : 'the labels alone exceed the record limit: drop some in a stage',
  };
}
