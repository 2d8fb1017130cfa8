/**
 * Issue 13's "Reliability, automated", at the pipeline level: real `signet
 * run` children tail real files into CloudWatch Logs, S3, Firehose and
 * Kinesis at `signet local`, through partial batch failures, 30 s outages,
 * expiring credentials, SIGKILLs mid-upload and cross-account roles.
 *
 * The scenarios live in aws-reliability-*.ts, each with its own signet local
 * (faults are per stack); they run here at once, so the file takes about as
 * long as the longest (a 30 s outage and its catch-up), not their sum.
 */
import { describe, test } from 'node:test';
import { expiringCredentials } from './aws-reliability-credentials.js';
import { killedMidUpload } from './aws-reliability-kill.js';
import { cloudWatchLogsThrottled, s3Unavailable } from './aws-reliability-outage.js';
import { partialRecordFailures } from './aws-reliability-records.js';
import { crossAccountRoles } from './aws-reliability-roles.js';

describe('logs to AWS: reliability', { concurrency: true }, () => {
  test('Firehose and Kinesis under partial batch failures over 100+ batches: every record exactly once', () =>
    partialRecordFailures());
  test('CloudWatch Logs throttled for 30 s: nothing lost, each stream in order', () =>
    cloudWatchLogsThrottled());
  test('S3 PutObject answering 503 for 30 s (SlowDown, then ServiceUnavailable): nothing lost, every object whole', () =>
    s3Unavailable());
  test('role credentials that expire every 8 s, and a service clock jump: every sink keeps delivering, nothing dropped', () =>
    expiringCredentials());
  test('SIGKILLed 10 times mid-upload into S3: nothing lost, only unacknowledged lines re-sent, never a partial object', () =>
    killedMidUpload());
  test('a cross-account role_arn with external_id per sink: the wrong one refused in plain words, nothing lost once fixed', () =>
    crossAccountRoles());
});
