/** parseAwsError never throws: garbage, truncation, odd types and huge bodies all become an AwsError. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AwsError, parseAwsError } from '../../../src/aws/errors/index.js';
import * as f from './fixtures.js';

describe('robustness', () => {
  const bodies: Array<string | Uint8Array> = [
    '',
    ' ',
    '<',
    '<<<garbage',
    '<Error><Code>Sig',
    '{',
    '{"__type":',
    'null',
    '[1,2,3]',
    '{"message":{"nested":true},"__type":42}',
    '{"__type":"   "}',
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Error><Code>&b;</Code></Error>',
    '<Error><Code><![CDATA[AccessDenied]]></Code><Message>x</Message></Error>',
    '<Error><Code>Access Denied with spaces</Code></Error>',
    new Uint8Array([0xff, 0xfe, 0x00, 0x41]),
    'x'.repeat(2_000_000),
    `<Error><Code>AccessDenied</Code><Message>${'a'.repeat(500_000)}</Message></Error>`,
  ];
  for (let i = 0; i < 50; i++) bodies.push(randomBytes(64 + i * 13));
  for (const fixture of Object.values(f)) {
    if (typeof fixture === 'object') {
      for (const cut of [1, 10, 50, 100, 200]) bodies.push(fixture.body.slice(0, cut));
    }
  }

  test('every body gives an AwsError with a code and a hint', () => {
    for (const body of bodies) {
      for (const status of [0, 200, 400, 403, 404, 429, 500, 503, 999]) {
        const error = parseAwsError({ status, headers: {}, body });
        assert.ok(error instanceof AwsError);
        assert.ok(error.code.length > 0);
        assert.ok(error.hint.length > 0);
        assert.ok(error.message.length < 1000);
      }
    }
  });

  test('odd headers and contexts do not throw', () => {
    const error = parseAwsError(
      {
        status: Number.NaN,
        headers: { 'x-amzn-errortype': undefined, date: 'not a date', 'x-amzn-requestid': [] },
        body: '',
      },
      {
        url: 'not a url ?with=query',
        localNow: new Date(Number.NaN),
        signedAt: new Date(Number.NaN),
      },
    );
    assert.equal(error.code, 'HTTP0');
    assert.equal(error.serverDate, undefined);
    assert.equal(error.url, 'not a url ');
  });

  test('XML entity declarations are not expanded', () => {
    const error = parseAwsError({ status: 400, headers: {}, body: bodies[11]! });
    assert.ok(!error.code.includes('aaaa'));
  });
});
