/**
 * The numbers CloudWatch Logs enforces, in one place so each can be checked
 * against its source. Sources: the PutLogEvents API reference
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html,
 * as carried in @aws-sdk/client-cloudwatch-logs 3.1169.0's model docs) and the
 * request shapes' constraints in the service model (logs-2014-03-28).
 */

/** "The maximum number of log events in a batch is 10,000." (InputLogEvents, max 10000). */
export const MAX_EVENTS_PER_BATCH = 10_000;

/**
 * "The maximum batch size is 1,048,576 bytes. This size is calculated as the sum of all
 * event messages in UTF-8, plus 26 bytes for each log event."
 */
export const MAX_BATCH_BYTES = 1_048_576;
export const EVENT_OVERHEAD_BYTES = 26;

/**
 * "Each log event can be no larger than 1 MB." AWS raised this from 256 KB in April 2025
 * (the API reference and the SDK model now say 1 MB). An event's size counts like the
 * batch's — message bytes plus 26 — so the largest message is 1,048,550 bytes.
 */
export const MAX_EVENT_BYTES = 1_048_576;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export { DAY_MS };

/** "Events more than 2 hours in the future are rejected while processing remaining valid events." */
export const MAX_FUTURE_MS = 2 * HOUR_MS;

/** "Events older than 14 days … are rejected while processing remaining valid events." */
export const MAX_AGE_MS = 14 * DAY_MS;

/** "For valid events …, the time span in a single batch cannot exceed 24 hours." */
export const MAX_BATCH_SPAN_MS = DAY_MS;

/** PutRetentionPolicy's retentionInDays enum in the service model. */
export const RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

/** DescribeLogGroups and DescribeLogStreams: `limit` is 1–50, default 50. */
export const MAX_DESCRIBE_LIMIT = 50;

/**
 * GetLogEvents and FilterLogEvents: `limit` is 1–10,000 (default 10,000), and a page
 * holds "up to 1 MB of log events"; the page size is counted like a PutLogEvents batch.
 */
export const MAX_READ_LIMIT = 10_000;
export const MAX_READ_PAGE_BYTES = 1_048_576;

/** FilterLogEvents: logStreamNames holds 1–100 names; filterPattern is at most 1,024 chars. */
export const MAX_FILTER_STREAM_NAMES = 100;
export const MAX_FILTER_PATTERN_LENGTH = 1024;

/** The UTF-8 size PutLogEvents and the read pages count for one event. */
export function eventBytes(message: string): number {
  return Buffer.byteLength(message, 'utf8') + EVENT_OVERHEAD_BYTES;
}
