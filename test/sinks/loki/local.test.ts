import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import { AwsClient } from '../../../src/aws/http/aws-client.js';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  startLocal,
  type LocalStack,
} from '../../../src/local/index.js';
import { lokiSigningService } from '../../../src/sinks/loki/index.js';
import { postFaults } from '../../helpers/local-stack.js';
import { startVerifyingServer } from '../../helpers/verifying-server.js';
import { entry, testClient, until } from './helpers.js';
import { decodePush } from './wire.js';

let local: LocalStack;
before(async () => {
  local = await startLocal();
});
after(() => local.close());

function demoSigner(url: string, region: string): AwsClient {
  return new AwsClient({
    service: lokiSigningService(url),
    region,
    credentials: createCredentialProvider({
      accessKeyId: DEMO_ACCESS_KEY_ID,
      secretAccessKey: DEMO_SECRET_ACCESS_KEY,
    }),
  });
}

async function queryLines(
  tenant: string,
  selector: string,
): Promise<{ stream: Record<string, string>; values: string[][] }[]> {
  const params = new URLSearchParams({
    query: selector,
    direction: 'forward',
    limit: '100000',
    start: '0',
    end: String(Date.now() * 1e6 + 1e12),
  });
  const res = await request(`${local.url}/loki/api/v1/query_range?${params.toString()}`, {
    headers: { 'x-scope-orgid': tenant },
  });
  assert.equal(res.statusCode, 200);
  return (
    (await res.body.json()) as {
      data: { result: { stream: Record<string, string>; values: string[][] }[] };
    }
  ).data.result;
}

async function lokiStats(): Promise<
  Record<string, { received: number; repeated: number; outOfOrder: number; stored: number }>
> {
  const res = await request(`${local.url}/_signet/execute-api/loki/stats`);
  return (
    (await res.body.json()) as {
      tenants: Record<
        string,
        { received: number; repeated: number; outOfOrder: number; stored: number }
      >;
    }
  ).tenants;
}

test('to signet local: every entry once, in order, tenants split, internal labels gone, external labels added', async () => {
  const url = `${local.url}/loki/api/v1/push`;
  const { client, progress } = testClient({
    url,
    tenantId: 'main',
    batchSizeBytes: 2000,
    externalLabels: { agent: 'signet' },
  });
  const base = Date.now();
  for (let chunk = 0; chunk < 20; chunk++) {
    const entries = Array.from({ length: 50 }, (_, i) => {
      const n = chunk * 50 + i;
      const labels: Record<string, string> = {
        job: 'app',
        __path__: '/var/log/app.log',
        file: String(n % 2),
      };
      if (n % 10 === 0) labels['__tenant_id__'] = 'audit';
      return entry(`line ${String(n).padStart(4, '0')}`, labels, base + n);
    });
    assert.equal(client.enqueue(entries, chunk), true);
  }
  await until(() => progress.includes(19));
  await client.close({ drainMs: 1000 });

  const stats = await lokiStats();
  assert.deepEqual(
    {
      received: stats['main']!.received,
      stored: stats['main']!.stored,
      repeated: stats['main']!.repeated,
      outOfOrder: stats['main']!.outOfOrder,
    },
    { received: 900, stored: 900, repeated: 0, outOfOrder: 0 },
  );
  assert.equal(stats['audit']!.received, 100);
  assert.equal(stats['audit']!.repeated, 0);

  const main = (await queryLines('main', '{job="app"}')).sort((a, b) =>
    a.stream['file']!.localeCompare(b.stream['file']!),
  );
  assert.deepEqual(
    main.map((s) => s.stream),
    [
      { agent: 'signet', file: '0', job: 'app' },
      { agent: 'signet', file: '1', job: 'app' },
    ],
  );
  const expected = (file: string, tenant: 'main' | 'audit') =>
    Array.from({ length: 1000 }, (_, n) => n)
      .filter((n) => String(n % 2) === file && (n % 10 === 0) === (tenant === 'audit'))
      .map((n) => `line ${String(n).padStart(4, '0')}`);
  for (const stream of main) {
    assert.deepEqual(
      stream.values.map((v) => v[1]),
      expected(stream.stream['file']!, 'main'),
    );
  }
  const audit = await queryLines('audit', '{job="app"}');
  assert.deepEqual(
    audit.map((s) => s.stream),
    [{ agent: 'signet', file: '0', job: 'app' }],
  );
  assert.deepEqual(
    audit[0]!.values.map((v) => v[1]),
    expected('0', 'audit'),
  );
});

test('signed pushes are verified by signet local (execute-api, demo key)', async () => {
  const url = `${local.url}/loki/api/v1/push`;
  const { client, progress, metric } = testClient({
    url,
    tenantId: 'signed',
    aws: demoSigner(url, local.region),
  });
  client.enqueue([entry('signed one', { job: 'sig' }), entry('signed two', { job: 'sig' })], 1);
  await until(() => progress.includes(1));
  await client.close({ drainMs: 1000 });
  const result = await queryLines('signed', '{job="sig"}');
  assert.deepEqual(
    result[0]!.values.map((v) => v[1]),
    ['signed one', 'signed two'],
  );
  const log = (await (await request(`${local.url}/_signet/requests`)).body.json()) as {
    requests: { path: string; signature: string; principal?: string }[];
  };
  const pushes = log.requests.filter(
    (r) => r.path === '/loki/api/v1/push' && r.signature === 'verified',
  );
  assert.equal(pushes.length, 1);
  assert.equal(await metric('promtail_sent_entries_total'), 2);
});

test('signed, through signet local: 503s are retried, a 400 (a stream with no label left) is dropped and counted', async () => {
  const url = `${local.url}/loki/api/v1/push`;
  const { client, progress, metric } = testClient({
    url,
    tenantId: 'faulty',
    aws: demoSigner(url, local.region),
  });
  try {
    const faults = await postFaults(local, {
      service: 'execute-api',
      operation: 'Push',
      kind: 'error',
      status: 503,
      count: 2,
    });
    assert.equal(faults.status, 200, JSON.stringify(faults.body));
    client.enqueue([entry('after two 503s', { job: 'faulty' })], 1);
    await until(() => progress.includes(1));
    assert.equal(await metric('promtail_batch_retries_total'), 2);
    assert.equal(await metric('promtail_sent_entries_total'), 1);
    // Only internal labels: the stream is `{}`, which Loki refuses.
    client.enqueue([entry('no labels', { __path__: '/x' })], 2);
    await until(() => progress.includes(2));
    assert.equal(await metric('promtail_dropped_entries_total', { reason: 'ingester_error' }), 1);
    const result = await queryLines('faulty', '{job="faulty"}');
    assert.deepEqual(
      result[0]!.values.map((v) => v[1]),
      ['after two 503s'],
    );
  } finally {
    await client.close({ drainMs: 1000 });
  }
});

test('signed pushes verify with @smithy/signature-v4, for execute-api in the given region', async () => {
  const server = await startVerifyingServer(
    new Map([[DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY]]),
  );
  const url = `${server.url}/loki/api/v1/push`;
  const { client, progress } = testClient({
    url,
    tenantId: 'team-x',
    aws: demoSigner(url, 'eu-west-1'),
  });
  try {
    client.enqueue([entry('checked by smithy', { job: 'smithy' })], 1);
    await until(() => progress.includes(1));
    assert.equal(server.received.length, 1);
    const got = server.received[0]!;
    assert.equal(got.verified, true);
    assert.match(String(got.headers.authorization), /\/eu-west-1\/execute-api\/aws4_request, /);
    assert.equal(got.headers['x-scope-orgid'], 'team-x');
    assert.deepEqual(
      decodePush(got.body)[0]!.entries.map((e) => e.line),
      ['checked by smithy'],
    );
  } finally {
    await client.close({ drainMs: 1000 });
    await server.close();
  }
});

test("the signing service: execute-api for API Gateway hosts and custom domains, the host's own elsewhere", () => {
  assert.equal(
    lokiSigningService('https://abc123.execute-api.eu-west-1.amazonaws.com/prod/loki/api/v1/push'),
    'execute-api',
  );
  assert.equal(lokiSigningService('https://loki.example.com/loki/api/v1/push'), 'execute-api');
  assert.equal(
    lokiSigningService('https://loki.example.com/loki/api/v1/push', 'vpc-lattice-svcs'),
    'vpc-lattice-svcs',
  );
  assert.equal(
    lokiSigningService('https://abcdefg.lambda-url.us-east-1.on.aws/loki/api/v1/push'),
    'lambda',
  );
});
