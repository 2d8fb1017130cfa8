/** Clock skew: the offset to apply, and a hint that says which way and by how much. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clockSkewOffset, parseAwsError } from '../../../src/aws/errors/index.js';
import * as f from './fixtures.js';

const SERVER = 'Wed, 03 Sep 2025 16:21:50 GMT';
const SERVER_MS = Date.parse(SERVER);

describe('clock skew', () => {
  test("S3's RequestTimeTooSkewed: offset from <ServerTime>, and the direction in words", () => {
    const localNow = new Date(SERVER_MS + 17 * 60 * 1000);
    const error = parseAwsError(f.S3_TIME_TOO_SKEWED, {
      localNow,
      signedAt: localNow,
      service: 's3',
    });
    assert.equal(error.kind, 'clock-skew');
    assert.equal(error.retryable, true);
    assert.equal(error.reportedServerTime?.toISOString(), '2025-09-03T16:21:50.000Z');
    assert.equal(error.serverDate?.getTime(), SERVER_MS);
    assert.equal(clockSkewOffset(error, localNow), -17 * 60 * 1000);
    assert.match(
      error.hint,
      /Your clock is 17 minutes ahead of AWS's \(server Date Wed, 03 Sep 2025 16:21:50 GMT/,
    );
    assert.match(error.hint, /Signet corrects for the difference/);
    assert.match(error.hint, /NTP \(chrony/);
  });

  test('a clock behind AWS', () => {
    const localNow = new Date(SERVER_MS - 2 * 3600 * 1000 - 5 * 60 * 1000);
    const error = parseAwsError(f.S3_TIME_TOO_SKEWED, { localNow });
    assert.match(error.hint, /Your clock is 2 hours 5 minutes behind AWS's/);
    assert.equal(clockSkewOffset(error, localNow), 125 * 60 * 1000);
  });

  test('clocks agree but the signature is old: signed long before sending', () => {
    const localNow = new Date(SERVER_MS + 1000);
    const error = parseAwsError(f.S3_TIME_TOO_SKEWED, {
      localNow,
      signedAt: new Date(SERVER_MS - 20 * 60 * 1000),
    });
    assert.match(
      error.hint,
      /Your clock agrees with AWS's, but the request was signed 20 minutes before it reached AWS/,
    );
    assert.equal(Math.abs(clockSkewOffset(error, localNow)!) <= 1000, true);
  });

  test("the server time in 'Signature expired' messages", () => {
    const localNow = new Date('2014-03-25T15:12:51Z');
    const error = parseAwsError(f.JSON_SIGNATURE_EXPIRED, { localNow });
    assert.equal(error.reportedServerTime?.toISOString(), '2014-03-25T14:52:51.000Z');
    assert.equal(clockSkewOffset(error, localNow), -20 * 60 * 1000);
    assert.match(error.hint, /20 minutes ahead/);
  });

  test('only the signing time known: compared with the server time', () => {
    const error = parseAwsError(f.JSON_SIGNATURE_EXPIRED, {
      signedAt: new Date('2014-03-25T14:34:53Z'),
    });
    assert.match(error.hint, /signed for 2014-03-25T14:34:53\.000Z, 18 minutes behind AWS's clock/);
  });

  test('no clock at all: still clock-skew, no offset', () => {
    const error = parseAwsError({
      status: 403,
      headers: {},
      body: '<Error><Code>RequestTimeTooSkewed</Code><Message>too large</Message></Error>',
    });
    assert.equal(error.kind, 'clock-skew');
    assert.equal(clockSkewOffset(error, new Date()), undefined);
    assert.match(error.hint, /too far from its clock/);
  });

  test('any 403 whose Date is more than five minutes off counts; a close one does not', () => {
    const denied = { status: 403, headers: { date: SERVER }, body: '' };
    const error = parseAwsError(denied);
    assert.equal(clockSkewOffset(error, new Date(SERVER_MS - 6 * 60 * 1000)), 6 * 60 * 1000);
    assert.equal(clockSkewOffset(error, new Date(SERVER_MS - 4 * 60 * 1000)), undefined);
    const throttled = parseAwsError({ status: 429, headers: { date: SERVER }, body: '' });
    assert.equal(clockSkewOffset(throttled, new Date(SERVER_MS - 60 * 60 * 1000)), undefined);
    assert.equal(clockSkewOffset(error, new Date(Number.NaN)), undefined);
  });
});
