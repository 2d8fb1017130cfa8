import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CorrectedClock } from '../../../src/aws/clock.js';
import { CredentialRegistry } from '../../../src/aws/credentials/registry.js';
import {
  createDestination,
  EndpointOverrideError,
  type DestinationOptions,
  type SigningOptions,
} from '../../../src/aws/destination/index.js';
import type { Env } from '../../../src/aws/env.js';
import type { LocalStack } from '../../../src/local/index.js';
import { TempHome, isolatedEnv, startStack } from '../credentials/harness.js';
import { startVerifyingServer, type VerifyingServer } from '../../helpers/verifying-server.js';

const KEY = 'AKIDDESTINATIONTEST1';
const SECRET = 'destination-test-secret-not-a-real-one';
const AMP = 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-x/api/v1/remote_write';
const KEYS: SigningOptions = { credentials: { accessKeyId: KEY, secretAccessKey: SECRET } };

let stack: LocalStack;
let server: VerifyingServer;
const home = new TempHome({
  '.aws/config': '[default]\nregion = ap-south-1\n[profile eu]\nregion = eu-north-1\n',
});
const registries: CredentialRegistry[] = [];
before(async () => {
  stack = await startStack();
  server = await startVerifyingServer(new Map([[KEY, SECRET]]));
});
after(async () => {
  for (const r of registries) r.close();
  await Promise.all([stack.close(), server.close()]);
  home.remove();
});

interface Logged {
  readonly message: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** A destination built as `signet run` builds one, with its override log captured. */
async function build(
  env: Env,
  overrides: Partial<DestinationOptions> = {},
): Promise<{ destination: Awaited<ReturnType<typeof createDestination>>; logged: Logged[] }> {
  const logged: Logged[] = [];
  const registry = new CredentialRegistry({ env, timeoutMs: 1000 });
  registries.push(registry);
  const destination = await createDestination({
    url: AMP,
    signing: KEYS,
    defaultService: 'aps',
    env,
    registry,
    clock: new CorrectedClock(),
    timeoutMs: 2000,
    log: (message, fields) => logged.push({ message, fields }),
    ...overrides,
  });
  return { destination, logged };
}

/** The credential scope a request was signed with, as the server saw it. */
function scopeOf(authorization: string | string[] | undefined): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([^/]+\/[^/]+)\/aws4_request/.exec(String(authorization))?.[1];
}

describe('the destination factory: where requests go', () => {
  test('AWS_ENDPOINT_URL_AMP wins over AWS_ENDPOINT_URL; the signature stays aps in the URL host’s region', async () => {
    const env = isolatedEnv(home, {
      AWS_ENDPOINT_URL_AMP: `${server.url}/`,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
    const { destination, logged } = await build(env, { url: `${AMP}?tenant=a` });
    assert.equal(destination.url, `${server.url}/workspaces/ws-x/api/v1/remote_write?tenant=a`);
    assert.equal(destination.configuredUrl, `${AMP}?tenant=a`);
    assert.equal(destination.endpointOverride?.from, 'AWS_ENDPOINT_URL_AMP');
    assert.equal(destination.service, 'aps');
    assert.equal(destination.region, 'us-east-1');
    assert.equal(
      destination.regionSource,
      'endpoint',
      'the region is read from the configured URL',
    );
    const host = new URL(server.url).host;
    assert.deepEqual(logged, [
      {
        message: `AWS_ENDPOINT_URL_AMP is set: sending to ${host} instead of aps-workspaces.us-east-1.amazonaws.com, signed for aps in us-east-1`,
        fields: {
          variable: 'AWS_ENDPOINT_URL_AMP',
          host,
          configured_host: 'aps-workspaces.us-east-1.amazonaws.com',
        },
      },
    ]);
    // The client signs what it sends, and an independent verifier (smithy) accepts it.
    const before = server.received.length;
    const res = await destination.client.send({ method: 'POST', url: destination.url, body: 'x' });
    assert.equal(res.status, 200);
    const got = server.received[before]!;
    assert.equal(got.verified, true);
    assert.equal(got.url, '/workspaces/ws-x/api/v1/remote_write?tenant=a');
    assert.equal(scopeOf(got.headers.authorization), 'us-east-1/aps');
  });

  test('AWS_ENDPOINT_URL alone moves every service; another service’s variable does not', async () => {
    const env = isolatedEnv(home, {
      AWS_ENDPOINT_URL: `${server.url}/proxy/`,
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9',
    });
    const { destination, logged } = await build(env);
    assert.equal(destination.url, `${server.url}/proxy/workspaces/ws-x/api/v1/remote_write`);
    assert.equal(destination.endpointOverride?.from, 'AWS_ENDPOINT_URL');
    assert.equal(logged.length, 1);
    const before = server.received.length;
    await destination.client.send({ method: 'POST', url: destination.url, body: 'y' });
    assert.equal(server.received[before]?.verified, true);
    assert.equal(scopeOf(server.received[before]?.headers.authorization), 'us-east-1/aps');
  });

  test('the variable is named after the signing name: a configured service chooses it', async () => {
    const env = isolatedEnv(home, {
      AWS_ENDPOINT_URL_AMP: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_API_GATEWAY: server.url,
    });
    const scraped = await build(env, {
      url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/metrics',
      defaultService: 'execute-api',
    });
    assert.equal(scraped.destination.endpointOverride?.from, 'AWS_ENDPOINT_URL_API_GATEWAY');
    assert.equal(scraped.destination.region, 'eu-west-1');
    const named = await build(env, { signing: { ...KEYS, service: 'execute-api' } });
    assert.equal(named.destination.service, 'execute-api');
    assert.equal(named.destination.url, `${server.url}/workspaces/ws-x/api/v1/remote_write`);
  });

  test('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS keeps the configured URL, and nothing is logged', async () => {
    for (const flag of ['true', '1', 'TRUE']) {
      const env = isolatedEnv(home, {
        AWS_ENDPOINT_URL_AMP: server.url,
        AWS_ENDPOINT_URL: server.url,
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: flag,
      });
      const { destination, logged } = await build(env);
      assert.equal(destination.url, AMP);
      assert.equal(destination.endpointOverride, undefined);
      assert.deepEqual(logged, []);
    }
    const off = await build(
      isolatedEnv(home, {
        AWS_ENDPOINT_URL: server.url,
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'no',
      }),
    );
    assert.equal(off.destination.endpointOverride?.from, 'AWS_ENDPOINT_URL');
  });

  test('an override that is not an http(s) URL is refused, naming the variable', async () => {
    await assert.rejects(
      build(isolatedEnv(home, { AWS_ENDPOINT_URL_AMP: 'localhost:4566' })),
      (error: unknown) =>
        error instanceof EndpointOverrideError &&
        /AWS_ENDPOINT_URL_AMP must be an http or https URL/.test(error.message),
    );
    await assert.rejects(
      build(isolatedEnv(home, { AWS_ENDPOINT_URL: 'not a url' })),
      (error: unknown) =>
        error instanceof EndpointOverrideError &&
        /AWS_ENDPOINT_URL is not a URL/.test(error.message) &&
        /unset AWS_ENDPOINT_URL/.test(error.hint ?? ''),
    );
  });
});

describe('the destination factory: the region and where it came from', () => {
  const local = 'http://127.0.0.1:9/workspaces/ws-x/api/v1/remote_write';

  test('configured (file or command line), then the URL host, AWS_REGION, AWS_DEFAULT_REGION, the profile, IMDS', async () => {
    const env = isolatedEnv(home, { AWS_REGION: 'us-west-1', AWS_DEFAULT_REGION: 'us-west-2' });
    const cases: [Env, Partial<DestinationOptions>, string, string][] = [
      [env, { signing: { ...KEYS, region: 'sa-east-1' } }, 'sa-east-1', 'config'],
      [
        env,
        { signing: { ...KEYS, region: 'sa-east-1', regionBy: 'command-line' } },
        'sa-east-1',
        'command-line',
      ],
      [env, {}, 'us-east-1', 'endpoint'],
      [env, { url: local }, 'us-west-1', 'AWS_REGION'],
      [{ ...env, AWS_REGION: undefined }, { url: local }, 'us-west-2', 'AWS_DEFAULT_REGION'],
      [isolatedEnv(home), { url: local }, 'ap-south-1', 'profile'],
      [
        isolatedEnv(home),
        { url: local, signing: { credentials: { ...KEYS.credentials, profile: 'eu' } } },
        'eu-north-1',
        'profile',
      ],
    ];
    for (const [caseEnv, overrides, region, from] of cases) {
      const { destination } = await build(caseEnv, overrides);
      assert.deepEqual(
        [destination.region, destination.regionSource],
        [region, from],
        JSON.stringify(overrides),
      );
      assert.equal(destination.client.region, region, 'the client signs for the reported region');
    }
    const bare = new TempHome();
    try {
      const imds = await build(
        isolatedEnv(bare, { AWS_EC2_METADATA_SERVICE_ENDPOINT: stack.url }),
        { url: local },
      );
      assert.deepEqual(
        [imds.destination.region, imds.destination.regionSource],
        ['eu-west-1', 'imds'],
      );
      await assert.rejects(build(isolatedEnv(bare), { url: local }), /No AWS region configured/);
      const noImds = build(isolatedEnv(bare, { AWS_EC2_METADATA_SERVICE_ENDPOINT: stack.url }), {
        url: local,
        imds: false,
      });
      await assert.rejects(noImds, /No AWS region configured/);
    } finally {
      bare.remove();
    }
  });

  test('an override host never supplies the region: the configured URL does', async () => {
    const env = isolatedEnv(home, {
      AWS_ENDPOINT_URL_AMP: 'https://aps-workspaces.eu-central-1.amazonaws.com',
    });
    const { destination } = await build(env);
    assert.equal(destination.url.startsWith('https://aps-workspaces.eu-central-1.'), true);
    assert.deepEqual([destination.region, destination.regionSource], ['us-east-1', 'endpoint']);
  });

  test('destinations with the same credentials and region share one provider from the registry', async () => {
    const env = isolatedEnv(home);
    const registry = new CredentialRegistry({ env });
    registries.push(registry);
    const common = { registry, env, clock: new CorrectedClock() };
    const a = await createDestination({
      url: AMP,
      signing: KEYS,
      defaultService: 'aps',
      ...common,
    });
    const b = await createDestination({
      url: AMP.replace('ws-x', 'ws-y'),
      signing: KEYS,
      defaultService: 'aps',
      ...common,
    });
    const c = await createDestination({
      url: AMP.replace('us-east-1', 'eu-west-1'),
      signing: KEYS,
      defaultService: 'aps',
      ...common,
    });
    assert.equal(a.credentials, b.credentials);
    assert.notEqual(a.credentials, c.credentials, 'another region, another provider');
    assert.equal(registry.size, 2);
  });
});
