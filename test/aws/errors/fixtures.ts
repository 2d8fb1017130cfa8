/**
 * Error answers as AWS (and things in front of it) really send them, taken
 * from public bug reports and protocol tests; each names its source. Account
 * ids and keys the reporters had masked are filled with documentation values
 * (123456789012, AKIA…EXAMPLE), and session tokens with FAKE_SESSION_TOKEN.
 */

/** Shaped like a real STS session token: long standard base64 with `/` and `+`. */
export const FAKE_SESSION_TOKEN =
  'IQoJb3JpZ2luX2VjEJf//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+EXAMPLEtokenDoNotUse/' +
  'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6A7B8C9D0E1F2G3H4I5J6K7L8M9N0+/' +
  'O1P2Q3R4S5T6U7V8W9X0Y1Z2a3b4c5d6e7f8g9h0i1j2k3l4m5n6o7p8q9r0s1t2u3v4w5x6y7z8==';
export const FAKE_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const TEMP_KEY_ID = 'ASIAQWERTYUIOPEXAMPL';

export interface Fixture {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** minio/minio#2986 quotes S3's answer (its key id replaced by AWS's documentation one); RequestId/HostId from pgbackrest/pgbackrest#589. */
export const S3_SIGNATURE_MISMATCH: Fixture = {
  status: 403,
  headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'F87AAA37990F40FD' },
  body: `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><AWSAccessKeyId>AKIAI44QH8DHBEXAMPLE</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256
20161018T091707Z
20161018/us-east-1/s3/aws4_request
9977fec5206b9a221f83b69fe0de934fc76de632d276964e02329e51ca90c413</StringToSign><SignatureProvided>190d0f190d9af06017543ad0ef802abf6dee2dcf3836840cbaa13e8750f9f3ed</SignatureProvided><StringToSignBytes>41 57 53 34</StringToSignBytes><CanonicalRequest>GET
/

expect:100-continue
host:s3.amazonaws.com
x-amz-content-sha256:UNSIGNED-PAYLOAD
x-amz-date:20161018T091707Z

expect;host;x-amz-content-sha256;x-amz-date
UNSIGNED-PAYLOAD</CanonicalRequest><CanonicalRequestBytes>47 45 54</CanonicalRequestBytes><RequestId>F87AAA37990F40FD</RequestId><HostId>9j03kk9AR9POIu3V5MIcSBv7/UpdaiV5N6ghaYuQGXiVvSnR+FYnGby78dY+zonQZ0OOYwp1wdc=</HostId></Error>`,
};

/** The string to sign and canonical request of S3_SIGNATURE_MISMATCH, as Signet would have signed them. */
export const S3_SIGNED_STRING_TO_SIGN =
  'AWS4-HMAC-SHA256\n20161018T091707Z\n20161018/us-east-1/s3/aws4_request\n9977fec5206b9a221f83b69fe0de934fc76de632d276964e02329e51ca90c413';

/**
 * aws/aws-cli#4356: S3 echoes the canonical request of a request signed with
 * temporary credentials — session token included. Token replaced.
 */
export const S3_MISMATCH_WITH_TOKEN: Fixture = {
  status: 403,
  headers: { 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><AWSAccessKeyId>ASIA4PCWGNV57TQ5DMFB</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256
20190814T102134Z
20190814/ap-northeast-2/s3/aws4_request
8b1e07b140147c77ec722fd60085afc9dc9da050696f6a0dde05092dbbb33c33</StringToSign><SignatureProvided>e8840b94be41f1ba8cfe8d915c293903d3332834055cbc2dc600c197252e87bc</SignatureProvided><CanonicalRequest>GET
/logs/8388608.test

host:bucket.s3.ap-northeast-2.amazonaws.com
range:
x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-amz-date:20190814T102134Z
x-amz-security-token:${FAKE_SESSION_TOKEN}

host;range;x-amz-content-sha256;x-amz-date;x-amz-security-token
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855</CanonicalRequest><RequestId>3D8E3A8F6B1E7A21</RequestId></Error>`,
};

/** versity/versitygw#1514 quotes S3's RequestTimeTooSkewed in full. */
export const S3_TIME_TOO_SKEWED: Fixture = {
  status: 403,
  headers: { 'content-type': 'application/xml', date: 'Wed, 03 Sep 2025 16:21:50 GMT' },
  body: `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestTime>20250901T162148Z</RequestTime><ServerTime>2025-09-03T16:21:50Z</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds><RequestId>2J8ZFVZVVRA4T7CF</RequestId><HostId>CRaDrKRM91F3Ea6WY8n+2BLxPeuJIpDDm+7fIUYYE2fvvRnGocv1/406lhxBURvCDnNt0K5M2oEj7G7NjTbhP18orBtCmzj6</HostId></Error>`,
};

/** pingcap/tiflash#10538 logs S3's SlowDown headers; body as S3's error list documents it. */
export const S3_SLOW_DOWN: Fixture = {
  status: 503,
  headers: {
    'content-type': 'application/xml',
    date: 'Fri, 07 Nov 2025 21:19:55 GMT',
    'x-amz-id-2':
      'zRby//pp1PO7Y2mYDdEeTACIDIVxbp3Uk2a4nd8TnGxIxTXxO1Saf1W6RHKjbExBLJ6kcn9/IMsd+i7dMhJg/vgJ3c4fH5Gr1dVWXCtjJm4=',
    'x-amz-request-id': '5WYFY5P28HFWHTHX',
  },
  body: `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>5WYFY5P28HFWHTHX</RequestId><HostId>zRby//pp1PO7Y2mYDdEeTACIDIVxbp3Uk2a4nd8TnGxIxTXxO1Saf1W6RHKjbExBLJ6kcn9/IMsd+i7dMhJg/vgJ3c4fH5Gr1dVWXCtjJm4=</HostId></Error>`,
};

/** Netflix/security_monkey#77: STS AssumeRole refused (account numbers filled in). */
export const STS_ASSUME_ROLE_DENIED: Fixture = {
  status: 403,
  headers: { 'content-type': 'text/xml' },
  body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>AccessDenied</Code>
    <Message>User: arn:aws:sts::123456789012:assumed-role/SecurityMonkeyInstanceProfile/i-e68888 is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::210987654321:role/SecurityMonkey</Message>
  </Error>
  <RequestId>fa2bundlksjdlfjs0uw9ue9</RequestId>
</ErrorResponse>`,
};

/** okta-awscli/okta-awscli#145 shows STS's InvalidClientTokenId (403, text/xml, x-amzn-requestid). */
export const STS_INVALID_CLIENT_TOKEN: Fixture = {
  status: 403,
  headers: {
    'content-type': 'text/xml',
    date: 'Wed, 30 Sep 2020 14:29:53 GMT',
    'x-amzn-requestid': '6f1b2c3d-0000-4000-8000-000000000001',
  },
  body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>InvalidClientTokenId</Code>
    <Message>The security token included in the request is invalid</Message>
  </Error>
  <RequestId>6f1b2c3d-0000-4000-8000-000000000001</RequestId>
</ErrorResponse>`,
};

/** aws/aws-sdk-java-v2#1649: STS's ExpiredToken, status 403. */
export const STS_EXPIRED_TOKEN: Fixture = {
  status: 403,
  headers: {
    'content-type': 'text/xml',
    'x-amzn-requestid': '69d599e0-7b94-4cf4-a564-fc698225471f',
  },
  body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>ExpiredToken</Code>
    <Message>The security token included in the request is expired</Message>
  </Error>
  <RequestId>69d599e0-7b94-4cf4-a564-fc698225471f</RequestId>
</ErrorResponse>`,
};

/** aws/aws-sdk-go#1536: EC2's UnauthorizedOperation with an encoded explanation (shortened). */
export const EC2_UNAUTHORIZED: Fixture = {
  status: 403,
  headers: { 'content-type': 'text/xml;charset=UTF-8' },
  body: `<Response>
  <Errors>
     <Error>
        <Code>UnauthorizedOperation</Code>
        <Message>You are not authorized to perform this operation. Encoded authorization failure message: 0oaZLrVVIxb8lmPCpj7S11qdDzu_uNi_mBsUZwMj5aWOqnj1VzrfzlQTk1sFa3k_QNGyDNccqpKVsfVfPPjTHtfgXbOUcmOWSfVdbQdChyYtSVR4G8f9PnQVRagacZ3MUnRw6zuQUuPdxWdw5z6cWFRzkk79gxQOa-igUwyjlYPdlGA6Psp-iMrLPrzVu00_VEpZgcVE6pCYrMF5c00ZjPOnBnATr-sO1iFvQLNGew1mBbrbKo5D9ByBIiszGTpOrwFx8553NXkg5v99x_CDhu</Message>
     </Error>
  </Errors>
  <RequestID>b38d2eb9-5905-4af1-9759-3765b762dac9</RequestID>
</Response>`,
};

/** aws/aws-sdk-java#1443: EC2's RequestExpired (status 400); body in EC2's error shape. */
export const EC2_REQUEST_EXPIRED: Fixture = {
  status: 400,
  headers: { 'content-type': 'text/xml;charset=UTF-8' },
  body: `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>RequestExpired</Code><Message>Request has expired.</Message></Error></Errors><RequestID>213aa903-1660-42b7-838f-176cbed53e74</RequestID></Response>`,
};

/** kdgregory/log4j-aws-appenders#176: CloudWatch Logs' AccessDeniedException (400), account filled in. */
export const LOGS_ACCESS_DENIED: Fixture = {
  status: 400,
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': '504cb041-a4e8-4e81-a408-b3d3b9ec272d',
  },
  body: JSON.stringify({
    __type: 'AccessDeniedException',
    message:
      'User: arn:aws:sts::123456789012:assumed-role/Log4JAppenderTesting/123456789012-kdgregory is not authorized to perform: logs:PutLogEvents on resource: arn:aws:logs:us-east-1:123456789012:log-group:2828d147-c9a9-49b6-81ae-b710fdcecc07:log-stream:e9ec79d0-f068-460c-889b-30616dcae93e because no identity-based policy allows the logs:PutLogEvents action',
  }),
};

/**
 * A namespaced __type as Smithy's protocol tests give it
 * (smithy-lang/smithy, restJson1 errors: RestJsonFooErrorWithDunderTypeUriAndNamespace).
 */
export const LOGS_NOT_FOUND_NAMESPACED: Fixture = {
  status: 400,
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'e1f2' },
  body: JSON.stringify({
    __type:
      'com.amazonaws.logs#ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.validate/',
    message: 'The specified log group does not exist.',
  }),
};

/** aws/aws-sdk-js#254: a JSON service's stale-signature answer. */
export const JSON_SIGNATURE_EXPIRED: Fixture = {
  status: 400,
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': 'a1b2c3d4-0000-4000-8000-000000000254',
  },
  body: JSON.stringify({
    __type: 'InvalidSignatureException',
    message:
      'Signature expired: 20140325T143453Z is now earlier than 20140325T143751Z (20140325T145251Z - 15 min.)',
  }),
};

/** rclark/kinesis-readable#4: Kinesis' ProvisionedThroughputExceededException (400). */
export const KINESIS_THROUGHPUT: Fixture = {
  status: 400,
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'k1' },
  body: JSON.stringify({
    __type: 'ProvisionedThroughputExceededException',
    message:
      'Rate exceeded for shard shardId-000000000000 in stream xxxxxx under account 123456789012.',
  }),
};

/**
 * grafana/tempo#2973 and grafana/grafana#94734: AMP's signature mismatch quotes
 * the canonical string (session token included) and the string to sign. The
 * reports are cut short; the rest follows the shape carsales/aws-request-signer#10 shows whole.
 */
export const AMP_CANONICAL =
  'POST\n/workspaces/ws-1/api/v1/remote_write\n\ncontent-encoding:snappy\ncontent-type:application/x-protobuf\nhost:aps-workspaces.ap-southeast-1.amazonaws.com\nx-amz-date:20230930T115002Z\n' +
  `x-amz-security-token:${FAKE_SESSION_TOKEN}\n\n` +
  'content-encoding;content-type;host;x-amz-date;x-amz-security-token\n' +
  '3f1a0ec8a06e0e3e5b1b7ce5ab1b8f1de0a5fd4a3b8e1a9bb6a1c4d2e8f9a0b1';
export const AMP_SIGNATURE_MISMATCH: Fixture = {
  status: 403,
  headers: {
    'content-type': 'application/json',
    'x-amzn-errortype': 'InvalidSignatureException',
    'x-amzn-requestid': 'c7d1e5a0-aaaa-4bbb-8ccc-000000002973',
  },
  body: JSON.stringify({
    message: `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'${AMP_CANONICAL}'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20230930T115002Z\n20230930/ap-southeast-1/aps/aws4_request\n0d7f9a3c5e2b4f6a8c1d3e5f7a9b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f2a4b'\n`,
  }),
};

/** prometheus-community/helm-charts#4687: AMP remote write without a signature. */
export const AMP_MISSING_TOKEN: Fixture = {
  status: 403,
  headers: { 'content-type': 'application/json' },
  body: '{"message":"Missing Authentication Token"}',
};

/** aws-ia/terraform-aws-eks-blueprints#709: AMP's denial with the principal and action mangled. */
export const AMP_MANGLED_DENIAL: Fixture = {
  status: 403,
  headers: { 'content-type': 'application/json' },
  body: '{"Message":"User:  is not authorized to perform: aps: \\"RemoteWrite\\" on resource: "}',
};

/** ASFHyP3/hyp3#2283: API Gateway refusing an unsigned caller (account masked as in the report). */
export const APIGW_ANONYMOUS: Fixture = {
  status: 403,
  headers: {
    'content-type': 'application/json',
    'x-amzn-errortype': 'AccessDeniedException',
    'x-amzn-requestid': '0f3c2d1e-1111-4222-8333-000000002283',
  },
  body: '{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-west-2:********2543:vd2gh6uqw3/api/GET/"}',
};

/** Smithy's awsQueryCompatible protocol test QueryCompatibleAwsJson10CustomCodeError. */
export const QUERY_COMPATIBLE: Fixture = {
  status: 400,
  headers: {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-query-error': 'Customized;Sender',
  },
  body: '{"__type": "aws.protocoltests.json10#CustomCodeError", "message": "Hi"}',
};

/** nginx's built-in 502 page, as a proxy or load balancer in front of AWS sends it. */
export const NGINX_502: Fixture = {
  status: 502,
  headers: { 'content-type': 'text/html' },
  body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
};
