/**
 * CloudWatch Logs' PutLogEvents limits, each with its words from the API
 * reference (docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html)
 * and the service model (logs-2014-03-28). signet local enforces the same
 * numbers (src/local/services/logs/limits.ts); a sink may not import the
 * stand-in, so they are stated again here.
 */

/** "The maximum number of log events in a batch is 10,000." */
export const MAX_BATCH_EVENTS = 10_000;

/**
 * "The maximum batch size is 1,048,576 bytes. This size is calculated as the
 * sum of all event messages in UTF-8, plus 26 bytes for each log event."
 */
export const MAX_BATCH_BYTES = 1_048_576;
export const EVENT_OVERHEAD_BYTES = 26;

/**
 * "Each log event can be no larger than 1 MB" (256 KB before April 2025),
 * counted as the batch counts it: message bytes plus 26. The longest message
 * is therefore 1,048,550 UTF-8 bytes.
 */
export const MAX_EVENT_BYTES = 1_048_576;
export const MAX_MESSAGE_BYTES = MAX_EVENT_BYTES - EVENT_OVERHEAD_BYTES;

const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** "A batch of log events in a single request cannot span more than 24 hours." */
export const MAX_BATCH_SPAN_MS = DAY_MS;

/** "Events more than 2 hours in the future are rejected while processing remaining valid events." */
export const MAX_FUTURE_MS = 2 * HOUR_MS;

/** "Events older than 14 days or preceding the log group's retention period are rejected …" */
export const MAX_AGE_MS = 14 * DAY_MS;

/** PutRetentionPolicy's `retentionInDays` enum. */
export const RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

/** CreateLogGroup's `logGroupClass` enum. */
export const LOG_GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'] as const;
export type LogGroupClass = (typeof LOG_GROUP_CLASSES)[number];

/** logGroupName: 1–512 characters of `[\.\-_/#A-Za-z0-9]`. */
export const LOG_GROUP_NAME_PATTERN = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/** logStreamName: 1–512 characters, no `:` or `*`. */
export const MAX_LOG_STREAM_NAME_LENGTH = 512;
export const LOG_STREAM_NAME_FORBIDDEN = /[:*]/g;

/** kmsKeyId: at most 256 characters, and the key's ARN (a bare key id is "not found"). */
export const MAX_KMS_KEY_ID_LENGTH = 256;
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** The UTF-8 size PutLogEvents counts for one event. */
export function eventBytes(message: string): number {
  return Buffer.byteLength(message, 'utf8') + EVENT_OVERHEAD_BYTES;
}
