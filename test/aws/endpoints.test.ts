/**
 * Host-name inference for SigV4: one row per published host shape. A wrong
 * signing name or region here would not fail loudly in production, it would
 * produce signatures AWS rejects, so the expected values are spelled out in full.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inferEndpoint, isRegionCode, type InferredEndpoint } from '../../src/aws/endpoints.js';

/** An expected result: plain commercial-partition endpoint unless `extra` says otherwise. */
function ep(
  service: string,
  region: string | undefined,
  extra: Partial<InferredEndpoint> = {},
): InferredEndpoint {
  return {
    service,
    region,
    partition: 'aws',
    fips: false,
    dualstack: false,
    vpce: false,
    ...extra,
  };
}

const VPCE = 'vpce-0123456789abcdef0-abcdefgh';

const CASES: ReadonlyArray<readonly [string, InferredEndpoint]> = [
  // Amazon Managed Service for Prometheus: the endpoint prefix is not the signing name.
  ['aps-workspaces.us-east-1.amazonaws.com', ep('aps', 'us-east-1')],
  ['aps.us-east-1.amazonaws.com', ep('aps', 'us-east-1')],
  ['aps-workspaces-fips.us-east-1.amazonaws.com', ep('aps', 'us-east-1', { fips: true })],
  ['aps-workspaces.us-east-1.api.aws', ep('aps', 'us-east-1', { dualstack: true })],

  // API Gateway
  ['abc123.execute-api.eu-west-1.amazonaws.com', ep('execute-api', 'eu-west-1')],
  ['tj9n5r0m12.execute-api.us-east-1.amazonaws.com', ep('execute-api', 'us-east-1')],
  ['tj9n5r0m12-vpce-0123abcd.execute-api.us-east-1.amazonaws.com', ep('execute-api', 'us-east-1')],

  // S3, virtual-hosted and path style, legacy and global forms
  ['bucket.s3.us-west-2.amazonaws.com', ep('s3', 'us-west-2', { bucket: 'bucket' })],
  ['s3.us-west-2.amazonaws.com', ep('s3', 'us-west-2')],
  [
    'my.dotted.bucket.s3.us-west-2.amazonaws.com',
    ep('s3', 'us-west-2', { bucket: 'my.dotted.bucket' }),
  ],
  ['us-east-1.s3.us-east-1.amazonaws.com', ep('s3', 'us-east-1', { bucket: 'us-east-1' })],
  ['bucket.s3-us-west-2.amazonaws.com', ep('s3', 'us-west-2', { bucket: 'bucket' })],
  ['s3-us-west-2.amazonaws.com', ep('s3', 'us-west-2')],
  ['s3-external-1.amazonaws.com', ep('s3', 'us-east-1')],
  [
    's3-fips-us-gov-west-1.amazonaws.com',
    ep('s3', 'us-gov-west-1', { partition: 'aws-us-gov', fips: true }),
  ],
  ['s3.amazonaws.com', ep('s3', 'us-east-1')],
  ['bucket.s3.amazonaws.com', ep('s3', 'us-east-1', { bucket: 'bucket' })],
  ['s3-fips.us-east-1.amazonaws.com', ep('s3', 'us-east-1', { fips: true })],
  ['s3.dualstack.us-east-1.amazonaws.com', ep('s3', 'us-east-1', { dualstack: true })],
  [
    'bucket.s3.dualstack.eu-west-1.amazonaws.com',
    ep('s3', 'eu-west-1', { dualstack: true, bucket: 'bucket' }),
  ],
  [
    's3-fips.dualstack.us-east-1.amazonaws.com',
    ep('s3', 'us-east-1', { fips: true, dualstack: true }),
  ],
  ['name-123456789012.s3-accesspoint.us-east-1.amazonaws.com', ep('s3', 'us-east-1')],
  [
    'name-123456789012.s3-accesspoint-fips.dualstack.us-east-1.amazonaws.com',
    ep('s3', 'us-east-1', { fips: true, dualstack: true }),
  ],
  ['123456789012.s3-control.us-east-1.amazonaws.com', ep('s3', 'us-east-1')],
  ['mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com', ep('s3', undefined)],
  ['ap-123456789012.s3-object-lambda.us-east-1.amazonaws.com', ep('s3-object-lambda', 'us-east-1')],
  [
    'logs--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com',
    ep('s3express', 'us-west-2', { bucket: 'logs--usw2-az1--x-s3' }),
  ],
  ['s3express-control.us-west-2.amazonaws.com', ep('s3express', 'us-west-2')],
  [
    'bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com',
    ep('s3', 'us-east-1', { vpce: true }),
  ],
  [
    'my-bucket.bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com',
    ep('s3', 'us-east-1', { vpce: true, bucket: 'my-bucket' }),
  ],
  [
    'accesspoint.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com',
    ep('s3', 'us-east-1', { vpce: true }),
  ],
  [
    'control.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com',
    ep('s3', 'us-east-1', { vpce: true }),
  ],

  // Telemetry destinations and friends
  ['logs.us-east-1.amazonaws.com', ep('logs', 'us-east-1')],
  ['logs-fips.us-east-1.amazonaws.com', ep('logs', 'us-east-1', { fips: true })],
  ['logs.us-east-1.api.aws', ep('logs', 'us-east-1', { dualstack: true })],
  ['logs-fips.us-east-1.api.aws', ep('logs', 'us-east-1', { fips: true, dualstack: true })],
  ['firehose.us-east-1.amazonaws.com', ep('firehose', 'us-east-1')],
  ['kinesis.us-east-1.amazonaws.com', ep('kinesis', 'us-east-1')],
  ['xray.us-east-1.amazonaws.com', ep('xray', 'us-east-1')],
  ['monitoring.us-east-1.amazonaws.com', ep('monitoring', 'us-east-1')],
  ['sts.us-east-1.amazonaws.com', ep('sts', 'us-east-1')],
  ['sts.amazonaws.com', ep('sts', 'us-east-1')],
  ['sts-fips.us-east-2.amazonaws.com', ep('sts', 'us-east-2', { fips: true })],
  ['iam.amazonaws.com', ep('iam', 'us-east-1')],
  ['ec2.us-east-1.amazonaws.com', ep('ec2', 'us-east-1')],
  ['ec2.us-east-1.api.aws', ep('ec2', 'us-east-1', { dualstack: true })],
  ['lambda.us-east-2.amazonaws.com', ep('lambda', 'us-east-2')],
  ['sqs.us-east-1.amazonaws.com', ep('sqs', 'us-east-1')],
  ['email.us-east-1.amazonaws.com', ep('ses', 'us-east-1')],
  ['streams.dynamodb.us-east-1.amazonaws.com', ep('dynamodb', 'us-east-1')],
  ['runtime.sagemaker.eu-central-1.amazonaws.com', ep('sagemaker', 'eu-central-1')],
  ['api.ecr.ap-southeast-5.amazonaws.com', ep('ecr', 'ap-southeast-5')],
  ['iot.us-east-1.amazonaws.com', ep('iot', 'us-east-1')],
  ['data-ats.iot.us-east-1.amazonaws.com', ep('iotdata', 'us-east-1')],
  ['a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com', ep('iotdata', 'us-east-1')],
  ['abcdefghij.appsync-api.us-east-1.amazonaws.com', ep('appsync', 'us-east-1')],
  ['abcdefghijklmnop.lambda-url.us-east-1.on.aws', ep('lambda', 'us-east-1')],
  ['search-my-domain-abc123.us-east-1.es.amazonaws.com', ep('es', 'us-east-1')],
  ['abc123def456.us-west-2.aoss.amazonaws.com', ep('aoss', 'us-west-2')],
  ['logs.il-central-1.amazonaws.com', ep('logs', 'il-central-1')],
  ['logs.mx-central-1.amazonaws.com', ep('logs', 'mx-central-1')],
  ['logs.ca-west-1.amazonaws.com', ep('logs', 'ca-west-1')],
  // An unknown region-less host keeps its service but has no region to offer.
  ['example.amazonaws.com', ep('example', undefined)],

  // VPC interface endpoints
  [`${VPCE}.logs.us-east-1.vpce.amazonaws.com`, ep('logs', 'us-east-1', { vpce: true })],
  [`${VPCE}-us-east-1a.logs.us-east-1.vpce.amazonaws.com`, ep('logs', 'us-east-1', { vpce: true })],
  [`${VPCE}.aps-workspaces.us-west-2.vpce.amazonaws.com`, ep('aps', 'us-west-2', { vpce: true })],
  [
    `${VPCE}.execute-api.us-east-1.vpce.amazonaws.com`,
    ep('execute-api', 'us-east-1', { vpce: true }),
  ],
  [
    `${VPCE}.logs.cn-north-1.vpce.amazonaws.com.cn`,
    ep('logs', 'cn-north-1', { partition: 'aws-cn', vpce: true }),
  ],

  // Other partitions
  ['logs.us-gov-west-1.amazonaws.com', ep('logs', 'us-gov-west-1', { partition: 'aws-us-gov' })],
  [
    'logs.us-gov-east-1.api.aws',
    ep('logs', 'us-gov-east-1', { partition: 'aws-us-gov', dualstack: true }),
  ],
  ['iam.us-gov.amazonaws.com', ep('iam', 'us-gov-west-1', { partition: 'aws-us-gov' })],
  ['logs.cn-north-1.amazonaws.com.cn', ep('logs', 'cn-north-1', { partition: 'aws-cn' })],
  [
    'aps-workspaces.cn-northwest-1.amazonaws.com.cn',
    ep('aps', 'cn-northwest-1', { partition: 'aws-cn' }),
  ],
  [
    'bucket.s3.cn-north-1.amazonaws.com.cn',
    ep('s3', 'cn-north-1', { partition: 'aws-cn', bucket: 'bucket' }),
  ],
  [
    'logs.cn-north-1.api.amazonwebservices.com.cn',
    ep('logs', 'cn-north-1', { partition: 'aws-cn', dualstack: true }),
  ],
  ['route53.amazonaws.com.cn', ep('route53', 'cn-northwest-1', { partition: 'aws-cn' })],
  ['logs.us-iso-east-1.c2s.ic.gov', ep('logs', 'us-iso-east-1', { partition: 'aws-iso' })],
  ['logs.us-isob-east-1.sc2s.sgov.gov', ep('logs', 'us-isob-east-1', { partition: 'aws-iso-b' })],

  // Spelling tolerance
  ['logs.us-east-1.amazonaws.com.', ep('logs', 'us-east-1')],
  ['LOGS.US-EAST-1.AmazonAWS.com', ep('logs', 'us-east-1')],
  ['Bucket.S3.US-WEST-2.amazonaws.com.', ep('s3', 'us-west-2', { bucket: 'bucket' })],
  ['logs.us-east-1.amazonaws.com:443', ep('logs', 'us-east-1')],
];

const NOT_AWS = [
  '',
  'localhost',
  '127.0.0.1',
  '[::1]',
  '::1',
  'example.com',
  'amazonaws.com',
  'amazonaws.com.evil.com',
  's3.us-east-1.amazonaws.com.example.org',
  'logs.us-east-1.amazonaws.com.evil',
  'notamazonaws.com',
  'logs..us-east-1.amazonaws.com',
  'logs.us-east-1.amazonaws.com..',
  // A region that does not belong to the domain's partition.
  'logs.cn-north-1.amazonaws.com',
  'logs.us-east-1.amazonaws.com.cn',
  // Customer resources under AWS domains, not signed service endpoints.
  'ec2-54-1-2-3.us-west-2.compute.amazonaws.com',
  'ec2-54-1-2-3.compute-1.amazonaws.com',
  'my-lb-1234567890.us-east-1.elb.amazonaws.com',
  'bucket.s3-website-us-east-1.amazonaws.com',
  'bucket.s3-website.eu-west-1.amazonaws.com',
  // A VPC endpoint host without an endpoint id, or S3 with an unknown keyword.
  'logs.us-east-1.vpce.amazonaws.com',
  'things.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com',
];

test('inferEndpoint: AWS service hosts', async (t) => {
  for (const [host, expected] of CASES) {
    await t.test(host, () => {
      assert.deepEqual(inferEndpoint(host), expected);
    });
  }
});

test('inferEndpoint: hosts that are not AWS service endpoints', async (t) => {
  for (const host of NOT_AWS) {
    await t.test(JSON.stringify(host), () => {
      assert.equal(inferEndpoint(host), undefined);
    });
  }
});

test('inferEndpoint: the bucket key is absent, not undefined, when the host has none', () => {
  const endpoint = inferEndpoint('s3.us-west-2.amazonaws.com');
  assert.ok(endpoint);
  assert.equal(Object.hasOwn(endpoint, 'bucket'), false);
});

test('isRegionCode accepts region codes of every partition', () => {
  const valid = [
    'us-east-1',
    'eu-west-3',
    'us-gov-west-1',
    'cn-north-1',
    'ap-southeast-5',
    'ap-northeast-3',
    'il-central-1',
    'us-iso-east-1',
    'us-isob-east-1',
    'ca-west-1',
    'mx-central-1',
    'eu-south-2',
    'sa-east-1',
  ];
  for (const value of valid) assert.equal(isRegionCode(value), true, value);
});

test('isRegionCode rejects what is not a region code', () => {
  const invalid = [
    'foo',
    'us-east',
    'US-EAST-1',
    'us-east-1a',
    '',
    'us-east-1 ',
    'us-gov',
    'my-bucket-1',
    'useast1',
    'us-east-123',
    'us_east_1',
  ];
  for (const value of invalid) assert.equal(isRegionCode(value), false, value);
});
