import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CorrectedClock } from '../../../src/aws/clock.js';
import { CredentialRegistry } from '../../../src/aws/credentials/registry.js';
import {
  createTargetSigner,
  type SigningOptions,
  type TargetSignerOptions,
} from '../../../src/aws/destination/index.js';
import type { Env } from '../../../src/aws/env.js';
import type { RegionError } from '../../../src/aws/region.js';
import { TempHome, isolatedEnv } from '../credentials/harness.js';
import { startVerifyingServer, type VerifyingServer } from '../../helpers/verifying-server.js';

const KEY = 'AKIDTARGETSIGNER0001';
const SECRET = 'target-signer-test-secret-not-real';
const KEYS: SigningOptions = { credentials: { accessKeyId: KEY, secretAccessKey: SECRET } };
const GATEWAY = 'https://abc123.execute-api.ap-southeast-2.amazonaws.com/prod/metrics';
const LAMBDA_URL = 'https://xyz.lambda-url.ca-central-1.on.aws/metrics';

let server: VerifyingServer;
const home = new TempHome();
const registry = new CredentialRegistry({ env: {} });
before(async () => {
  server = await startVerifyingServer(new Map([[KEY, SECRET]]));
});
after(async () => {
  registry.close();
  await server.close();
  home.remove();
});

function options(env: Env, extra: Partial<TargetSignerOptions> = {}): TargetSignerOptions {
  return {
    signing: KEYS,
    defaultService: 'execute-api',
    env,
    registry,
    clock: new CorrectedClock(),
    onNoRegion: () => assert.fail('a region was expected'),
    ...extra,
  };
}

describe('signing scrape targets', () => {
  test("a target's host names its region and service; others use the job's fallback and the default service", async () => {
    const sign = await createTargetSigner(options(isolatedEnv(home, { AWS_REGION: 'eu-west-3' })));
    const at = (url: string) => {
      const c = sign(url);
      return [c.service, c.region];
    };
    assert.deepEqual(at(GATEWAY), ['execute-api', 'ap-southeast-2']);
    assert.deepEqual(at(LAMBDA_URL), ['lambda', 'ca-central-1']);
    assert.deepEqual(at(`${server.url}/metrics`), ['execute-api', 'eu-west-3']);
    // What it signs, an independent verifier accepts, scoped as reported.
    const client = sign(`${server.url}/metrics`);
    const res = await client.send({ method: 'GET', url: `${server.url}/metrics` });
    assert.equal(res.status, 200);
    const got = server.received.at(-1)!;
    assert.equal(got.verified, true);
    assert.match(String(got.headers.authorization), /\/eu-west-3\/execute-api\/aws4_request/);
  });

  test('a configured region and service win over the host; an endpoint override moves nothing', async () => {
    const sign = await createTargetSigner(
      options(isolatedEnv(home, { AWS_ENDPOINT_URL_API_GATEWAY: 'http://127.0.0.1:9' }), {
        signing: { ...KEYS, region: 'us-west-2', service: 'vpc-lattice-svcs' },
      }),
    );
    const client = sign(GATEWAY);
    assert.deepEqual([client.service, client.region], ['vpc-lattice-svcs', 'us-west-2']);
    const res = await sign(server.url).send({ method: 'GET', url: `${server.url}/m` });
    assert.equal(res.status, 200, 'the request went to the target, not to the override');
  });

  test('no region anywhere: told why once, and the region it returns is used', async () => {
    const told: RegionError[] = [];
    const sign = await createTargetSigner(
      options(isolatedEnv(home), {
        onNoRegion: (error) => {
          told.push(error);
          return 'us-east-1';
        },
      }),
    );
    assert.equal(told.length, 1);
    assert.match(told[0]!.message, /No AWS region configured/);
    assert.equal(sign(`${server.url}/metrics`).region, 'us-east-1');
    assert.equal(sign(GATEWAY).region, 'ap-southeast-2');
  });
});
