/**
 * Around PutLogEvents, against `signet local` over 127.0.0.1: a principal
 * that may put but not create the group is held (access denied), never
 * dropped, until the group exists; a group AWS refuses to create holds the
 * batch; several streams are sent in parallel, never more than
 * max_parallel_streams at once and never two batches of one stream; the
 * destination honours AWS_ENDPOINT_URL_LOGS and signs for `logs`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateLogGroupCommand,
  type CloudWatchLogsClient as SdkLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { CorrectedClock } from '../../../src/aws/clock.js';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import { CredentialRegistry } from '../../../src/aws/credentials/registry.js';
import { AwsClient, type AwsRequest } from '../../../src/aws/http/aws-client.js';
import { parseLocalConfig } from '../../../src/local/config/load.js';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import {
  classifyCloudWatchLogsError,
  createCloudWatchLogsDestination,
  createCloudWatchLogsMetrics,
  LogResourceError,
  resolveCloudWatchLogsOptions,
} from '../../../src/sinks/cloudwatch-logs/index.js';
import { PutLogEventsTarget } from '../../../src/sinks/cloudwatch-logs/target.js';
import {
  DEMO_CREDENTIALS,
  DEMO_PRINCIPAL_YAML,
  clearFaults,
  loggedRequests,
  postFaults,
} from '../../helpers/local-stack.js';
import { Registry } from 'prom-client';
import { entry, harness, metricValue, readStream, sdkLogs, until } from './helpers.js';

const SHIPPER_KEY = 'AKIASHIPPEREXAMPLE01';
const SHIPPER_SECRET = 'shipper/secret/EXAMPLEKEYEXAMPLEKEYEXAM';

const CONFIG = `${DEMO_PRINCIPAL_YAML}  - name: shipper
    account_id: '123456789012'
    access_key_id: ${SHIPPER_KEY}
    secret_access_key: ${SHIPPER_SECRET}
    policy:
      - effect: Allow
        actions: ['logs:PutLogEvents', 'logs:CreateLogStream']
        resources: '*'
`;

/** An AwsClient that counts PutLogEvents under way, overall and per stream. */
class CountingAwsClient extends AwsClient {
  inFlight = 0;
  maxInFlight = 0;
  private readonly perStream = new Map<string, number>();
  maxPerStream = 0;

  override async send(request: AwsRequest) {
    const put = request.headers?.['x-amz-target'] === 'Logs_20140328.PutLogEvents';
    const stream = put
      ? (
          JSON.parse(Buffer.from(request.body as Uint8Array).toString('utf8')) as {
            logStreamName: string;
          }
        ).logStreamName
      : '';
    if (put) {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      const n = (this.perStream.get(stream) ?? 0) + 1;
      this.perStream.set(stream, n);
      this.maxPerStream = Math.max(this.maxPerStream, n);
    }
    try {
      return await super.send(request);
    } finally {
      if (put) {
        this.inFlight--;
        this.perStream.set(stream, (this.perStream.get(stream) ?? 1) - 1);
      }
    }
  }
}

describe('CloudWatch Logs client resources and parallelism (signet local)', () => {
  let local: LocalStack;
  let sdk: SdkLogsClient;
  before(async () => {
    local = await startLocal({ config: parseLocalConfig(CONFIG, 'cwlogs-test.yaml') });
    sdk = sdkLogs(local);
  });
  after(async () => {
    sdk.destroy();
    await local.close();
  });

  test('not allowed to create the group: held (access-denied), nothing dropped, delivered once it exists', async () => {
    const group = 'signet/not-mine';
    const aws = new AwsClient({
      service: 'logs',
      region: local.region,
      credentials: createCredentialProvider({
        accessKeyId: SHIPPER_KEY,
        secretAccessKey: SHIPPER_SECRET,
      }),
    });
    const h = harness(local, { logGroupName: group, aws, holdMaxBackoffMs: 50 });
    h.client.enqueue([entry('for a group someone else makes', Date.now())], 1);
    await until(() => h.client.blocked !== undefined, 'blocked');
    assert.equal(h.client.blocked?.reason, 'access-denied');
    assert.match(h.client.blocked?.message ?? '', /CreateLogGroup/);
    assert.deepEqual(h.progress, []);
    await sdk.send(new CreateLogGroupCommand({ logGroupName: group }));
    await until(() => h.progress.at(-1) === 1, 'delivered');
    assert.deepEqual(
      (await readStream(sdk, group, 'test-stream')).map((e) => e.message),
      ['for a group someone else makes'],
    );
    await h.client.close({ drainMs: 1000 });
  });

  test('a group AWS refuses to create (KMS key not found) is a hold, not a drop', async () => {
    const aws = new AwsClient({
      service: 'logs',
      region: local.region,
      credentials: createCredentialProvider(DEMO_CREDENTIALS),
    });
    const resolved = resolveCloudWatchLogsOptions({
      aws,
      url: local.url,
      logGroupName: 'signet/kms',
      logStreamName: 's',
    });
    // A key id where AWS wants the ARN (the options refuse it; a key deleted later fails the same way).
    const target = new PutLogEventsTarget(
      aws,
      { ...resolved, kmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' },
      createCloudWatchLogsMetrics(new Registry()),
      () => {},
    );
    const body = Buffer.from(
      JSON.stringify({
        logGroupName: 'signet/kms',
        logStreamName: 's',
        logEvents: [{ timestamp: Date.now(), message: 'm' }],
      }),
    );
    const error = await target.send({ stream: 's', body }).then(
      () => assert.fail('sent'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof LogResourceError, String(error));
    assert.match(error.message, /KMS Key Id could not be found/);
    const verdict = classifyCloudWatchLogsError(error);
    assert.equal(verdict.action, 'hold');
    assert.equal(verdict.blocked, 'not-found');
  });

  test('two agents creating the same group and stream at once: ResourceAlreadyExists is success', async () => {
    const group = 'signet/raced';
    const before = (await loggedRequests(local)).length;
    const a = harness(local, { logGroupName: group, logStreamName: 'shared', batchWaitMs: 0 });
    const b = harness(local, { logGroupName: group, logStreamName: 'shared', batchWaitMs: 0 });
    const now = Date.now() - 1000;
    a.client.enqueue([entry('from a', now)], 1);
    b.client.enqueue([entry('from b', now + 1)], 1);
    await until(() => a.progress.at(-1) === 1 && b.progress.at(-1) === 1, 'both sent');
    const codes = (await loggedRequests(local))
      .slice(before)
      .map((r) => `${r.operation} ${r.errorCode ?? r.status}`);
    assert.ok(codes.includes('CreateLogGroup ResourceAlreadyExistsException'), codes.join(', '));
    assert.deepEqual(
      (await readStream(sdk, group, 'shared')).map((e) => e.message),
      ['from a', 'from b'],
    );
    const created = async (resource: string) =>
      (await metricValue(a.registry, 'signet_cloudwatch_logs_resources_created_total', {
        resource,
      })) +
      (await metricValue(b.registry, 'signet_cloudwatch_logs_resources_created_total', {
        resource,
      }));
    assert.equal(await created('log_group'), 1, 'one of them created the group');
    assert.equal(await metricValue(a.registry, 'promtail_dropped_entries_total'), 0);
    assert.equal(await metricValue(b.registry, 'promtail_dropped_entries_total'), 0);
    await a.client.close({ drainMs: 1000 });
    await b.client.close({ drainMs: 1000 });
  });

  test('streams are sent in parallel up to max_parallel_streams, one batch per stream at a time', async () => {
    const group = 'signet/parallel';
    await sdk.send(new CreateLogGroupCommand({ logGroupName: group }));
    const aws = new CountingAwsClient({
      service: 'logs',
      region: local.region,
      credentials: createCredentialProvider(DEMO_CREDENTIALS),
    });
    const h = harness(local, {
      logGroupName: group,
      aws,
      logStreamName: '{{ .s }}',
      maxParallelStreams: 3,
      maxBatchEvents: 5,
    });
    await postFaults(local, {
      service: 'logs',
      operation: 'PutLogEvents',
      kind: 'latency',
      latency_ms: 100,
    });
    const streams = ['s1', 's2', 's3', 's4', 's5', 's6'];
    const t0 = Date.now() - 60_000;
    let token = 0;
    for (let k = 0; k < 4; k++) {
      h.client.enqueue(
        streams.flatMap((s) =>
          Array.from({ length: 5 }, (_, i) => entry(`${s} ${k * 5 + i}`, t0 + k * 5 + i, { s })),
        ),
        ++token,
      );
    }
    await until(() => h.progress.at(-1) === token, 'all sent');
    await clearFaults(local);
    assert.equal(aws.maxInFlight, 3);
    assert.equal(aws.maxPerStream, 1);
    for (const s of streams) {
      assert.deepEqual(
        (await readStream(sdk, group, s)).map((e) => e.message),
        Array.from({ length: 20 }, (_, i) => `${s} ${i}`),
      );
    }
    await h.client.close({ drainMs: 1000 });
  });

  for (const variable of ['AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', 'AWS_ENDPOINT_URL_LOGS']) {
    test(`${variable} moves the regional endpoint; requests are signed for logs`, async () => {
      const destination = await createCloudWatchLogsDestination({
        region: 'us-east-1',
        signing: {
          credentials: {
            accessKeyId: DEMO_CREDENTIALS.accessKeyId,
            secretAccessKey: DEMO_CREDENTIALS.secretAccessKey,
          },
        },
        env: { [variable]: local.url, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
        registry: new CredentialRegistry(),
        clock: new CorrectedClock(),
        imds: false,
      });
      assert.equal(destination.configuredUrl, 'https://logs.us-east-1.amazonaws.com');
      assert.equal(new URL(destination.url).origin, local.url);
      assert.equal(destination.service, 'logs');
      assert.equal(destination.region, 'us-east-1');
      assert.equal(destination.endpointOverride?.from, variable);
      const group = `signet/override-${variable.length}`;
      const h = harness(local, {
        logGroupName: group,
        aws: destination.client,
        url: destination.url,
      });
      h.client.enqueue([entry('through the override', Date.now())], 1);
      await until(() => h.progress.at(-1) === 1, 'sent');
      assert.deepEqual(
        (await readStream(sdk, group, 'test-stream')).map((e) => e.message),
        ['through the override'],
      );
      await h.client.close({ drainMs: 1000 });
      destination.credentials.close();
    });
  }
});
