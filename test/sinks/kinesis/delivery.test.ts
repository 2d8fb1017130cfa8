/**
 * The Kinesis client against signet local over a real socket: entries
 * arrive once, in order, byte for byte, read back with @aws-sdk/client-kinesis
 * and with Debian's `aws kinesis get-records`; the default partition key (a
 * hash of the data) spreads records over every shard, a `{{ .pod }}`
 * template keeps each pod on one shard in order; the stream named by ARN.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateStreamCommand, KinesisClient as SdkKinesisClient } from '@aws-sdk/client-kinesis';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import {
  HASH_KEY_LENGTH,
  type KinesisClient,
  type KinesisClientOptions,
} from '../../../src/sinks/kinesis/index.js';
import { awsCli, awscliMissing } from '../../helpers/awscli.js';
import { sdkConfig } from '../../helpers/local-stack.js';
import {
  clientAt,
  KINESIS,
  entry,
  metricValue,
  numbered,
  readKinesis,
  until,
  type Collected,
} from '../aws-records/helpers.js';

describe('Kinesis client → signet local', () => {
  let local: LocalStack;
  before(async () => {
    local = await startLocal();
  });
  after(async () => {
    await local.close();
  });

  function client(
    options: Partial<KinesisClientOptions>,
  ): { client: KinesisClient<number> } & Collected {
    return clientAt(local, KINESIS, {
      batchWaitMs: 20,
      minBackoffMs: 10,
      maxBackoffMs: 100,
      ...options,
    });
  }

  async function createStream(name: string, shards: number): Promise<void> {
    const sdk = new SdkKinesisClient(sdkConfig(local));
    await sdk.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    sdk.destroy();
  }

  test('lines arrive once, in order, byte for byte; read back with the SDK', async () => {
    const h = client({ streamName: 'lines' });
    const lines = ['plain', 'ünïcødé ☕ 𝄞', '', 'tab\tand "quotes"', 'z'.repeat(10_000)];
    for (let k = 0; k < 40; k++) {
      h.client.enqueue(
        lines.map((line, i) => entry(`${k}:${line}`, { job: 'a' }, i)),
        k + 1,
      );
    }
    await until(() => h.progress.at(-1) === 40, 'all progress');
    const records = await readKinesis(local, 'lines');
    const expected = Array.from({ length: 40 }, (_, k) => lines.map((l) => `${k}:${l}`)).flat();
    assert.deepEqual(
      records.map((r) => r.data.toString('utf8')),
      expected,
    );
    assert.ok(records.every((r) => r.partitionKey.length === HASH_KEY_LENGTH));
    assert.equal(await metricValue(h.registry, 'signet_kinesis_sent_records_total'), 200);
    assert.equal(await metricValue(h.registry, 'signet_kinesis_sent_entries_total'), 200);
    assert.deepEqual(await h.client.close({ drainMs: 1000 }), { unsent: 0 });
  });

  test('aws kinesis get-records (Debian awscli) reads the records back', async (t) => {
    const missing = awscliMissing();
    if (missing) return t.skip(missing);
    const h = client({ streamName: 'awscli', format: 'json', newline: true });
    h.client.enqueue(
      [
        entry('first ✓', { pod: 'web-1' }, 1),
        entry('second', { pod: 'web-2', __internal: 'x' }, 2),
      ],
      1,
    );
    await until(() => h.progress.at(-1) === 1, 'delivered');
    const cli = awsCli(local.url, local.region);
    const iterator = (await cli.json([
      'kinesis',
      'get-shard-iterator',
      '--stream-name',
      'awscli',
      '--shard-id',
      'shardId-000000000000',
      '--shard-iterator-type',
      'TRIM_HORIZON',
    ])) as { ShardIterator: string };
    const page = (await cli.json([
      'kinesis',
      'get-records',
      '--shard-iterator',
      iterator.ShardIterator,
    ])) as { Records: { Data: string; PartitionKey: string }[] };
    const data = page.Records.map((r) => Buffer.from(r.Data, 'base64').toString('utf8'));
    assert.deepEqual(data, [
      '{"labels":{"pod":"web-1"},"line":"first ✓","timestamp":"2023-11-14T22:13:20.000000001Z"}\n',
      '{"labels":{"pod":"web-2"},"line":"second","timestamp":"2023-11-14T22:13:20.000000002Z"}\n',
    ]);
    await h.client.close({ drainMs: 1000 });
  });

  test('the default key spreads records over every shard; {{ .pod }} keeps a pod on one, in order', async () => {
    await createStream('spread', 4);
    const spread = client({ streamName: 'spread' });
    spread.client.enqueue(numbered(400), 1);
    await until(() => spread.progress.at(-1) === 1, 'delivered');
    const records = await readKinesis(local, 'spread');
    assert.equal(records.length, 400);
    const perShard = new Map<string, number>();
    for (const r of records) perShard.set(r.shard, (perShard.get(r.shard) ?? 0) + 1);
    assert.equal(perShard.size, 4, 'every shard got records');
    for (const [shard, n] of perShard) assert.ok(n >= 50, `${shard} got ${n} of 400`);
    await spread.client.close({ drainMs: 1000 });

    await createStream('by-pod', 4);
    const byPod = client({ streamName: 'by-pod', partitionKey: 'ns/{{ .pod }}' });
    const entries = Array.from({ length: 300 }, (_, i) =>
      entry(`pod-${i % 3} line ${i}`, { pod: `pod-${i % 3}` }, i),
    );
    byPod.client.enqueue(entries, 1);
    await until(() => byPod.progress.at(-1) === 1, 'delivered');
    const keyed = await readKinesis(local, 'by-pod');
    for (const pod of ['pod-0', 'pod-1', 'pod-2']) {
      const mine = keyed.filter((r) => r.partitionKey === `ns/${pod}`);
      assert.equal(new Set(mine.map((r) => r.shard)).size, 1, `${pod} on one shard`);
      assert.deepEqual(
        mine.map((r) => r.data.toString()),
        entries.filter((e) => e.labels['pod'] === pod).map((e) => e.line),
      );
    }
    await byPod.client.close({ drainMs: 1000 });
  });

  test('a pod label the entry lacks falls back to the hash key', async () => {
    const h = client({ streamName: 'fallback', partitionKey: '{{ .pod }}' });
    h.client.enqueue([entry('no pod', { job: 'x' }), entry('pod', { pod: 'p' })], 1);
    await until(() => h.progress.at(-1) === 1, 'delivered');
    const records = await readKinesis(local, 'fallback');
    assert.equal(records[0]!.partitionKey.length, HASH_KEY_LENGTH);
    assert.equal(records[1]!.partitionKey, 'p');
    await h.client.close({ drainMs: 1000 });
  });

  test('a stream named by ARN', async () => {
    const arn = `arn:aws:kinesis:${local.region}:123456789012:stream/by-arn`;
    const h = client({ streamArn: arn });
    assert.equal(h.client.name, 'kinesis/by-arn');
    h.client.enqueue(numbered(3), 1);
    await until(() => h.progress.at(-1) === 1, 'delivered');
    assert.deepEqual(
      (await readKinesis(local, 'by-arn')).map((r) => r.data.toString()),
      numbered(3).map((e) => e.line),
    );
    await h.client.close({ drainMs: 1000 });
  });

  test('aggregate packs entries of one key into records of at most 1 MiB with the key', async () => {
    const h = client({
      streamName: 'aggregated',
      aggregate: true,
      newline: true,
      partitionKey: '{{ .pod }}',
    });
    const entries = Array.from({ length: 4000 }, (_, i) =>
      entry(`${'q'.repeat(500)} ${i}`, { pod: `p${i % 2}` }, i),
    );
    h.client.enqueue(entries, 1);
    await h.client.close({ drainMs: 10_000 });
    const records = await readKinesis(local, 'aggregated');
    assert.ok(records.length <= 6, `${records.length} records`);
    assert.ok(records.every((r) => r.data.length + Buffer.byteLength(r.partitionKey) <= 1_048_576));
    for (const pod of ['p0', 'p1']) {
      assert.equal(
        Buffer.concat(records.filter((r) => r.partitionKey === pod).map((r) => r.data)).toString(),
        entries
          .filter((e) => e.labels['pod'] === pod)
          .map((e) => `${e.line}\n`)
          .join(''),
      );
    }
  });
});
