/**
 * What every sink shares, so that a new one (CloudWatch Logs, S3, Firehose,
 * Kinesis, OTLP, Loki) needs only its config schema, a request builder and a
 * SendTarget: the POST itself, signed or not (http.ts); what a failure means
 * (classify.ts, verdict.ts); retries, holds and the blocked state
 * (retry.ts); logging failures and recoveries without a line per retry
 * (failure-log.ts); and which WAL position is safe to report (progress.ts).
 *
 * A sink wires them as remote write does (../remote-write/sending.ts): an
 * EndpointClient with the protocol's headers (or any SendTarget whose send
 * throws AwsError, EndpointHttpError or NetworkError), a FailureLog named
 * for the destination, and a RetryingSender classifying with
 * classifySendError. It sends each body with `sender.send(body, units)`;
 * `sent` and `dropped` finish the units in its ProgressTracker (a sink may
 * split a dropped body first), `stopped` leaves them to the WAL; and it
 * shows `sender.blocked` in its stats.
 */
export {
  EndpointClient,
  EndpointHttpError,
  retryAfterMs,
  type BasicAuth,
  type EndpointOptions,
} from './http.js';
export { classifySendError, dropReasonOf, type ClassifyOptions } from './classify.js';
export {
  DEFAULT_HOLD_MAX_BACKOFF_MS,
  RetryingSender,
  type RetryPolicy,
  type SendResult,
  type SendTarget,
} from './retry.js';
export {
  DEFAULT_FAILURE_LOG_INTERVAL_MS,
  FailureLog,
  type FailureLogOptions,
  type SinkLog,
  type SinkLogLevel,
} from './failure-log.js';
export { ProgressTracker } from './progress.js';
export type { BlockedReason, BlockedState, DropReason, SendAction, Verdict } from './verdict.js';
