/** Signature hints rank causes by what the context and AWS's answer show. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAwsError } from '../../../src/aws/errors/index.js';
import * as f from './fixtures.js';

const MISMATCH = {
  status: 400,
  headers: { 'x-amzn-errortype': 'InvalidSignatureException' },
  body: JSON.stringify({
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
  }),
};

describe('signature hints', () => {
  test('signed region differs from the endpoint region: name the region to set', () => {
    const error = parseAwsError(MISMATCH, {
      service: 'logs',
      region: 'us-east-1',
      expectedRegion: 'eu-west-1',
      expectedService: 'logs',
    });
    assert.match(
      error.hint,
      /signed for region us-east-1 but the endpoint is in eu-west-1: set region: eu-west-1/,
    );
  });

  test("S3's 'the region … is wrong; expecting …' gives the region without context", () => {
    const error = parseAwsError({
      status: 400,
      headers: {},
      body: "<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-central-1'</Message><Region>eu-central-1</Region><RequestId>R</RequestId></Error>",
    });
    assert.equal(error.kind, 'signature');
    assert.match(error.hint, /set region: eu-central-1/);
  });

  test('numeric character references in XML messages are decoded', () => {
    const error = parseAwsError({
      status: 403,
      headers: {},
      body: '<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>the region &#39;us-east-1&#39; is wrong; expecting &#x27;ap-south-1&#x27;</Message></Error></ErrorResponse>',
    });
    assert.match(error.awsMessage, /region 'us-east-1' is wrong; expecting 'ap-south-1'/);
    assert.match(error.hint, /set region: ap-south-1/);
  });

  test('a region, service or clock the context shows to be right is not listed', () => {
    const error = parseAwsError(
      { ...MISMATCH, headers: { ...MISMATCH.headers, date: 'Mon, 01 Jan 2024 00:00:00 GMT' } },
      {
        service: 'logs',
        region: 'us-east-1',
        expectedRegion: 'us-east-1',
        expectedService: 'logs',
        localNow: new Date('2024-01-01T00:01:00Z'),
      },
    );
    assert.doesNotMatch(error.hint, /region other|service name other|clock/);
    assert.match(error.hint, /\(1\) a wrong secret key.*\(2\) a proxy altering/);
  });

  test('signed service differs from the endpoint service', () => {
    const error = parseAwsError(MISMATCH, { service: 'logs', expectedService: 'firehose' });
    assert.match(
      error.hint,
      /signed for service logs but the endpoint is firehose's: set service: firehose/,
    );
    const scoped = parseAwsError(
      json400("Credential should be scoped to correct service: 'aps'. "),
      {},
    );
    assert.match(scoped.hint, /set service: aps/);
  });

  test("S3's <StringToSign> equal to Signet's: the request arrived intact, the secret is wrong", () => {
    const error = parseAwsError(f.S3_SIGNATURE_MISMATCH, {
      service: 's3',
      region: 'us-east-1',
      accessKeyId: f.KEY_ID,
      credentialSource: 'env',
      stringToSign: f.S3_SIGNED_STRING_TO_SIGN,
    });
    assert.match(error.hint, /same string to sign as Signet/);
    assert.match(
      error.hint,
      /secret key is wrong: it does not belong to key AKIA…MPLE \(from the environment variables\)/,
    );
    assert.doesNotMatch(error.hint, /likely causes/);
  });

  test("S3's <StringToSign> different from Signet's: the request changed on the way, and where", () => {
    const signedCanonical =
      'GET\n/\n\nexpect:100-continue\nhost:s3.amazonaws.com\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:20161018T091707Z\nx-amz-meta-team:a b\n\nexpect;host;x-amz-content-sha256;x-amz-date;x-amz-meta-team\nUNSIGNED-PAYLOAD';
    const error = parseAwsError(f.S3_SIGNATURE_MISMATCH, {
      service: 's3',
      region: 'us-east-1',
      viaProxy: true,
      stringToSign: f.S3_SIGNED_STRING_TO_SIGN.replace(/9977fec5/, '00000000'),
      canonicalRequest: signedCanonical,
    });
    assert.match(error.hint, /changed on its way to AWS \(the configured proxy/);
    assert.match(
      error.hint,
      /the header x-amz-meta-team: Signet signed it, AWS did not receive it/,
    );
  });

  test('a path re-encoded on the way shows both paths', () => {
    const received = 'GET\n/a%20b\n\nhost:h\n\nhost\nUNSIGNED-PAYLOAD';
    const signed = 'GET\n/a+b\n\nhost:h\n\nhost\nUNSIGNED-PAYLOAD';
    const error = parseAwsError(
      {
        status: 403,
        headers: {},
        body: `<Error><Code>SignatureDoesNotMatch</Code><Message>no</Message><CanonicalRequest>${received}</CanonicalRequest></Error>`,
      },
      { canonicalRequest: signed },
    );
    assert.match(error.hint, /the path: Signet signed '\/a\+b', AWS received '\/a%20b'/);
  });

  test('the canonical string a JSON service quotes (AMP) is compared too, its token redacted', () => {
    const ours = f.AMP_CANONICAL.replace(
      'host:aps-workspaces',
      'x-scope-orgid:tenant-1\nhost:aps-workspaces',
    );
    const error = parseAwsError(f.AMP_SIGNATURE_MISMATCH, {
      service: 'aps',
      canonicalRequest: ours,
    });
    assert.match(error.hint, /the header x-scope-orgid: Signet signed it, AWS did not receive it/);
    assert.ok(error.awsCanonicalRequest?.includes('x-amz-security-token:<redacted>'));
    assert.ok(error.awsStringToSign?.startsWith('AWS4-HMAC-SHA256\n20230930T115002Z'));
  });

  test('an identical canonical request means the secret is wrong', () => {
    const error = parseAwsError(f.AMP_SIGNATURE_MISMATCH, {
      accessKeyId: f.TEMP_KEY_ID,
      credentialSource: 'web-identity',
      canonicalRequest: f.AMP_CANONICAL,
    });
    assert.match(
      error.hint,
      /received exactly the request Signet signed, so the secret key is wrong: it does not belong to key ASIA…AMPL \(from the web identity token\)/,
    );
  });

  test('nothing to tell causes apart: every candidate, a configured proxy first', () => {
    const plain = parseAwsError(MISMATCH, {
      service: 'logs',
      region: 'us-east-1',
      accessKeyId: f.KEY_ID,
      credentialSource: 'imds',
    });
    assert.match(
      plain.hint,
      /\(1\) a wrong secret key for key AKIA…MPLE \(from the EC2 instance profile\)/,
    );
    assert.match(plain.hint, /region other than the endpoint's \(signed for us-east-1\)/);
    assert.match(plain.hint, /service name other than the endpoint's \(signed for logs\)/);
    assert.match(plain.hint, /proxy altering the path or signed headers/);
    assert.match(plain.hint, /clock/);
    const proxied = parseAwsError(MISMATCH, { viaProxy: true });
    assert.match(proxied.hint, /\(1\) the configured proxy altering/);
  });

  test('Missing Authentication Token: unsigned, or an API Gateway route that does not exist', () => {
    const error = parseAwsError(f.AMP_MISSING_TOKEN, {
      url: 'https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1/api/v1/remote_write?x=1',
    });
    assert.match(error.hint, /no signature/);
    assert.match(
      error.hint,
      /https:\/\/aps-workspaces\.us-west-2\.amazonaws\.com\/workspaces\/ws-1\/api\/v1\/remote_write\.$/,
    );
  });

  test("EC2's AuthFailure names the key among the causes", () => {
    const error = parseAwsError(
      {
        status: 401,
        headers: {},
        body: '<Response><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to validate the provided access credentials</Message></Error></Errors><RequestID>r</RequestID></Response>',
      },
      { accessKeyId: f.KEY_ID },
    );
    assert.equal(error.kind, 'signature');
    assert.match(
      error.hint,
      /could not validate key AKIA…MPLE: the key may be unknown or disabled/,
    );
  });
});

function json400(message: string) {
  return {
    status: 400,
    headers: { 'x-amzn-errortype': 'InvalidSignatureException' },
    body: JSON.stringify({ message }),
  };
}
