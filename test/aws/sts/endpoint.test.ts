import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stsEndpoint } from '../../../src/aws/sts/endpoint.js';
import { endpointOverride, endpointVariable } from '../../../src/aws/endpoint-override.js';

describe('the STS endpoint', () => {
  const rows: [string, boolean, string][] = [
    ['us-east-1', false, 'https://sts.us-east-1.amazonaws.com'],
    ['eu-central-1', false, 'https://sts.eu-central-1.amazonaws.com'],
    ['us-west-2', true, 'https://sts-fips.us-west-2.amazonaws.com'],
    ['ca-central-1', true, 'https://sts-fips.ca-central-1.amazonaws.com'],
    ['us-gov-west-1', false, 'https://sts.us-gov-west-1.amazonaws.com'],
    ['us-gov-east-1', true, 'https://sts.us-gov-east-1.amazonaws.com'],
    ['cn-north-1', false, 'https://sts.cn-north-1.amazonaws.com.cn'],
    ['cn-northwest-1', false, 'https://sts.cn-northwest-1.amazonaws.com.cn'],
    ['us-iso-east-1', false, 'https://sts.us-iso-east-1.c2s.ic.gov'],
    ['us-isob-east-1', false, 'https://sts.us-isob-east-1.sc2s.sgov.gov'],
  ];
  for (const [region, fips, url] of rows) {
    test(`${region}${fips ? ' (FIPS)' : ''} → ${url}`, () => {
      assert.deepEqual(stsEndpoint({ region, fips }), { url, region, from: 'regional' });
    });
  }

  test('FIPS where AWS has none is a clear error', () => {
    assert.throws(
      () => stsEndpoint({ region: 'eu-west-1', fips: true }),
      /no FIPS endpoint in eu-west-1/,
    );
    assert.throws(() => stsEndpoint({ region: 'cn-north-1', fips: true }), /no FIPS endpoint/);
  });

  test('sts_endpoint wins, then AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL; the signing region stays', () => {
    const env = {
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4579/',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
    };
    assert.deepEqual(
      stsEndpoint({
        region: 'eu-west-1',
        endpoint: 'https://vpce-1.sts.eu-west-1.vpce.amazonaws.com',
        env,
      }),
      {
        url: 'https://vpce-1.sts.eu-west-1.vpce.amazonaws.com',
        region: 'eu-west-1',
        from: 'config',
      },
    );
    assert.deepEqual(stsEndpoint({ region: 'eu-west-1', env }), {
      url: 'http://127.0.0.1:4579',
      region: 'eu-west-1',
      from: 'env',
    });
    assert.equal(
      stsEndpoint({ region: 'eu-west-1', env: { AWS_ENDPOINT_URL: 'http://h:1' } }).url,
      'http://h:1',
    );
    assert.equal(
      stsEndpoint({
        region: 'eu-west-1',
        env: { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
      }).url,
      'https://sts.eu-west-1.amazonaws.com',
    );
  });
});

describe('AWS_ENDPOINT_URL_<SERVICE>', () => {
  test('variables are named after the service id, not the signing name', () => {
    assert.equal(endpointVariable('logs'), 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS');
    assert.equal(endpointVariable('aps'), 'AWS_ENDPOINT_URL_AMP');
    assert.equal(endpointVariable('monitoring'), 'AWS_ENDPOINT_URL_CLOUDWATCH');
    assert.equal(endpointVariable('execute-api'), 'AWS_ENDPOINT_URL_API_GATEWAY');
    assert.equal(endpointVariable('sts'), 'AWS_ENDPOINT_URL_STS');
  });

  test('the service variable wins over the global one', () => {
    const env = {
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://logs:1',
      AWS_ENDPOINT_URL: 'http://all:2',
    };
    assert.deepEqual(endpointOverride('logs', env), {
      url: 'http://logs:1',
      from: 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
    });
    assert.deepEqual(endpointOverride('s3', env), {
      url: 'http://all:2',
      from: 'AWS_ENDPOINT_URL',
    });
    assert.equal(endpointOverride('s3', {}), undefined);
  });
});
