/**
 * The Firehose and Kinesis destinations as `signet run` would build them:
 * the regional endpoint for the configured region (China's suffix too),
 * moved by AWS_ENDPOINT_URL_FIREHOSE / AWS_ENDPOINT_URL_KINESIS or
 * AWS_ENDPOINT_URL, signed for the service; records sent through one reach
 * signet local.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CorrectedClock } from '../../../src/aws/clock.js';
import { CredentialRegistry } from '../../../src/aws/credentials/registry.js';
import type { Env } from '../../../src/aws/env.js';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  startLocal,
  type LocalStack,
} from '../../../src/local/index.js';
import type { RecordStreamDestinationOptions } from '../../../src/sinks/aws-records/index.js';
import {
  FirehoseClient,
  createFirehoseDestination,
  createFirehoseMetrics,
} from '../../../src/sinks/firehose/index.js';
import {
  KinesisClient,
  createKinesisDestination,
  createKinesisMetrics,
} from '../../../src/sinks/kinesis/index.js';
import { collect, numbered, readKinesis, until } from './helpers.js';

describe('Firehose and Kinesis destinations', () => {
  let local: LocalStack;
  const registries: CredentialRegistry[] = [];
  before(async () => {
    local = await startLocal();
  });
  after(async () => {
    for (const r of registries) r.close();
    await local.close();
  });

  function options(
    env: Env,
    extra: Partial<RecordStreamDestinationOptions> = {},
  ): RecordStreamDestinationOptions {
    const registry = new CredentialRegistry({ env, timeoutMs: 1000 });
    registries.push(registry);
    return {
      region: 'us-east-1',
      signing: {
        credentials: { accessKeyId: DEMO_ACCESS_KEY_ID, secretAccessKey: DEMO_SECRET_ACCESS_KEY },
      },
      env,
      registry,
      clock: new CorrectedClock(),
      imds: false,
      ...extra,
    };
  }

  test('the regional endpoints, signed for the service in the region', async () => {
    const firehose = await createFirehoseDestination(options({}, { region: 'eu-west-1' }));
    assert.equal(firehose.url, 'https://firehose.eu-west-1.amazonaws.com');
    assert.equal(firehose.service, 'firehose');
    assert.equal(firehose.region, 'eu-west-1');
    const kinesis = await createKinesisDestination(options({}, { region: 'cn-north-1' }));
    assert.equal(kinesis.url, 'https://kinesis.cn-north-1.amazonaws.com.cn');
    assert.equal(kinesis.service, 'kinesis');
  });

  test('AWS_ENDPOINT_URL_FIREHOSE moves Firehose to signet local, and records arrive', async () => {
    const destination = await createFirehoseDestination(
      options({ AWS_ENDPOINT_URL_FIREHOSE: local.url, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }),
    );
    assert.equal(destination.endpointOverride?.from, 'AWS_ENDPOINT_URL_FIREHOSE');
    assert.equal(new URL(destination.url).origin, local.url);
    const collected = collect(createFirehoseMetrics);
    const client = new FirehoseClient<number>(
      {
        deliveryStreamName: 'via-override',
        url: destination.url,
        aws: destination.client,
        batchWaitMs: 10,
      },
      collected.deps,
    );
    client.enqueue(numbered(3), 1);
    await until(() => collected.progress.at(-1) === 1, 'delivered');
    assert.deepEqual(
      local.firehose.records('via-override').map(String),
      numbered(3).map((e) => `${e.line}\n`),
    );
    await client.close({ drainMs: 1000 });
  });

  test('AWS_ENDPOINT_URL_KINESIS, else AWS_ENDPOINT_URL, moves Kinesis, and records arrive', async () => {
    const specific = await createKinesisDestination(
      options({ AWS_ENDPOINT_URL_KINESIS: local.url }),
    );
    assert.equal(specific.endpointOverride?.from, 'AWS_ENDPOINT_URL_KINESIS');
    const general = await createKinesisDestination(options({ AWS_ENDPOINT_URL: local.url }));
    assert.equal(general.endpointOverride?.from, 'AWS_ENDPOINT_URL');
    const collected = collect(createKinesisMetrics);
    const client = new KinesisClient<number>(
      { streamName: 'via-override', url: general.url, aws: general.client, batchWaitMs: 10 },
      collected.deps,
    );
    client.enqueue(numbered(3), 1);
    await until(() => collected.progress.at(-1) === 1, 'delivered');
    assert.deepEqual(
      (await readKinesis(local, 'via-override')).map((r) => r.data.toString()),
      numbered(3).map((e) => e.line),
    );
    await client.close({ drainMs: 1000 });
  });

  test('one set of metrics per registry: a second create reuses the first', () => {
    const first = collect(createKinesisMetrics);
    const again = createKinesisMetrics(first.registry);
    assert.equal(again.sentRecords, first.deps.metrics.sentRecords);
    const names = first.registry.getMetricsAsArray().map((m) => m.name);
    assert.ok(names.length >= 13);
    assert.ok(
      names.every((n) => n.startsWith('signet_kinesis_')),
      names.join(' '),
    );
    assert.ok(names.includes('signet_kinesis_request_duration_seconds'));
  });
});
