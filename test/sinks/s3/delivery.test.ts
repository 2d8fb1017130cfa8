/**
 * The S3 client delivering to `signet local` over 127.0.0.1, read back with
 * the AWS SDK v3 client and Debian's awscli: objects complete and signed,
 * keys as configured, gunzip giving exactly the entries in order, objects
 * cut at batch_size and batch_wait, progress only once an object is
 * stored, and SSE and storage class stored as asked.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { HeadObjectCommand, type S3Client as SdkS3Client } from '@aws-sdk/client-s3';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import { msToNs, type LogEntry } from '../../../src/model/log-entry.js';
import { awsCli, awscliMissing } from '../../helpers/awscli.js';
import { loggedRequests } from '../../helpers/local-stack.js';
import {
  allLines,
  createBucket,
  entry,
  getObject,
  harness,
  listKeys,
  metricValue,
  readObjects,
  sdkS3,
  until,
} from './helpers.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 0);

describe('S3 client delivery (signet local)', () => {
  let local: LocalStack;
  let sdk: SdkS3Client;
  before(async () => {
    local = await startLocal();
    sdk = sdkS3(local);
  });
  after(async () => {
    sdk.destroy();
    await local.close();
  });

  test('ndjson + gzip with the default keys: complete objects cut at batch_size, entries in order, progress once stored', async () => {
    const bucket = 'logs-default';
    await createBucket(sdk, bucket);
    const h = harness(local, { bucket, prefix: 'app/logs', batchSizeBytes: 2000 });
    const sent: LogEntry[] = [];
    for (let call = 1; call <= 10; call++) {
      const chunk = Array.from({ length: 20 }, (_, k) => {
        const i = (call - 1) * 20 + k;
        // 123 ns past the millisecond: the timestamp must keep all nine digits.
        return {
          labels: { job: 'app', __path__: '/var/log/app.log' },
          line: `line ${i} "quoted" ünïcode`,
          timestampNs: msToNs(T0 + i) + 123n,
        };
      });
      sent.push(...chunk);
      // The buffer holds 4 × batch_size: wait for room as the pipeline does.
      while (!h.client.enqueue(chunk, call)) await h.client.waitForRoom();
    }
    await until(() => h.progress.at(-1) === 10, 'every call reported');

    const keys = await listKeys(sdk, bucket);
    assert.ok(keys.length >= 5, `cut at batch_size: ${keys.length} objects`);
    const host = hostname().replace(/[^A-Za-z0-9!_.*'()=-]/g, '_');
    const keyPattern = new RegExp(
      `^app/logs/2026/01/02/03/${host.replace(/[.*()]/g, '\\$&')}-20260102T0304(\\d\\d)Z-${UUID}\\.ndjson\\.gz$`,
    );
    for (const key of keys) assert.match(key, keyPattern);

    const seq = (line: string) => Number(/line (\d+)/.exec(line)?.[1]);
    const lines = await allLines(sdk, bucket, true, seq);
    assert.deepEqual(
      lines.map((l) => JSON.parse(l) as unknown),
      sent.map((e, i) => ({
        timestamp: `2026-01-02T03:04:05.${String(i).padStart(3, '0')}000123Z`,
        labels: { job: 'app' },
        line: e.line,
      })),
    );
    // The exact bytes: keys in this order, no spaces.
    assert.equal(
      lines[0],
      '{"timestamp":"2026-01-02T03:04:05.000000123Z","labels":{"job":"app"},"line":"line 0 \\"quoted\\" ünïcode"}',
    );
    for (const [key, objectLines] of await readObjects(sdk, bucket, true)) {
      const bytes = objectLines.reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);
      assert.ok(bytes < 2000 + 100, `${key} is cut at batch_size (${bytes} bytes)`);
      // The key's time is the object's first entry's.
      const first = JSON.parse(objectLines[0]!) as { timestamp: string };
      assert.equal(keyPattern.exec(key)?.[1], first.timestamp.slice(17, 19));
    }
    const { output } = await getObject(sdk, bucket, keys[0]!);
    assert.equal(output.ContentEncoding, 'gzip');
    assert.equal(output.ContentType, 'application/x-ndjson');
    assert.equal(output.ServerSideEncryption, 'AES256', "S3's default encryption");

    assert.equal(await metricValue(h.registry, 'signet_s3_objects_total'), keys.length);
    assert.equal(await metricValue(h.registry, 'signet_s3_entries_total'), 200);
    assert.equal(
      await metricValue(h.registry, 'signet_s3_uncompressed_bytes_total'),
      lines.reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0),
    );
    assert.equal(
      await metricValue(h.registry, 'signet_s3_upload_duration_seconds_count'),
      keys.length,
    );
    const puts = (await loggedRequests(local)).filter((r) => r.operation === 'PutObject');
    assert.ok(puts.length >= keys.length);
    assert.ok(
      puts.every((r) => r.signature.startsWith('verified')),
      'every upload signed',
    );
    assert.deepEqual(await h.client.close({ drainMs: 1000 }), { unsent: 0 });
  });

  test('batch_wait seals an object; progress waits until it is stored; close drains what is open', async () => {
    const bucket = 'logs-wait';
    await createBucket(sdk, bucket);
    const h = harness(local, { bucket, batchWaitMs: 150 });
    h.client.enqueue([entry('waited 1', T0), entry('waited 2', T0 + 1)], 1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(h.progress, [], 'not stored yet: no progress');
    assert.deepEqual(await listKeys(sdk, bucket), []);
    await until(() => h.progress.at(-1) === 1, 'sealed after batch_wait and stored');
    assert.equal((await listKeys(sdk, bucket)).length, 1);

    const slow = harness(local, { bucket, prefix: 'drained', batchWaitMs: 3_600_000 });
    slow.client.enqueue([entry('open at close', T0)], 7);
    assert.deepEqual(await slow.client.close({ drainMs: 5000 }), { unsent: 0 });
    assert.deepEqual(slow.progress, [7]);
    const [only] = (await readObjects(sdk, bucket, true, 'drained/')).values();
    assert.equal((JSON.parse(only![0]!) as { line: string }).line, 'open at close');
    await h.client.close({ drainMs: 1000 });
  });

  test('raw + none, labels in key_format: one object per label value, lines as they are', async () => {
    const bucket = 'logs-raw';
    await createBucket(sdk, bucket);
    const h = harness(local, {
      bucket,
      prefix: '/raw/',
      format: 'raw',
      compression: 'none',
      keyFormat: 'app={{ .app }}/%Y/%m/%d/%H%M%S-$UUID.log',
      batchSizeBytes: 1_000_000,
    });
    const apps = ['api', 'web/ui', ''];
    for (let k = 0; k < 6; k++) {
      h.client.enqueue(
        apps.map((app, a) => entry(`${app || 'none'} ${k}`, T0 + 1000 * k + a, app ? { app } : {})),
        k + 1,
      );
    }
    await until(() => h.progress.at(-1) === 6, 'stored');
    const objects = await readObjects(sdk, bucket, false);
    const byApp = new Map([...objects].map(([key, lines]) => [key.split('/')[1], { key, lines }]));
    assert.deepEqual([...byApp.keys()].sort(), ['app=_', 'app=api', 'app=web_ui']);
    for (const [app, name] of [
      ['app=api', 'api'],
      ['app=web_ui', 'web/ui'],
      ['app=_', 'none'],
    ] as const) {
      const found = byApp.get(app)!;
      assert.match(found.key, new RegExp(`^raw/${app}/2026/01/02/03040[5-7]-${UUID}\\.log$`));
      assert.deepEqual(
        found.lines,
        [0, 1, 2, 3, 4, 5].map((k) => `${name} ${k}`),
      );
    }
    const { output } = await getObject(sdk, bucket, byApp.get('app=api')!.key);
    assert.equal(output.ContentEncoding, undefined);
    assert.equal(output.ContentType, 'text/plain; charset=utf-8');
    await h.client.close({ drainMs: 1000 });
  });

  test('sse, kms_key_id, storage_class and content_md5 are sent and stored as S3 stores them', async () => {
    const bucket = 'logs-sse';
    await createBucket(sdk, bucket);
    const key = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const kms = harness(local, {
      bucket,
      prefix: 'kms',
      sse: 'aws:kms',
      kmsKeyId: key,
      storageClass: 'STANDARD_IA',
      contentMd5: true,
    });
    const aes = harness(local, {
      bucket,
      prefix: 'aes',
      sse: 'AES256',
      storageClass: 'GLACIER_IR',
    });
    kms.client.enqueue([entry('secret', T0)], 1);
    aes.client.enqueue([entry('also secret', T0)], 1);
    await until(() => kms.progress.length === 1 && aes.progress.length === 1, 'stored');
    const head = async (prefix: string) => {
      const [objectKey] = await listKeys(sdk, bucket, prefix);
      return sdk.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey }));
    };
    const kmsHead = await head('kms/');
    assert.equal(kmsHead.ServerSideEncryption, 'aws:kms');
    assert.equal(kmsHead.SSEKMSKeyId, key);
    assert.equal(kmsHead.StorageClass, 'STANDARD_IA');
    const aesHead = await head('aes/');
    assert.equal(aesHead.ServerSideEncryption, 'AES256');
    assert.equal(aesHead.SSEKMSKeyId, undefined);
    assert.equal(aesHead.StorageClass, 'GLACIER_IR');
    await kms.client.close({ drainMs: 1000 });
    await aes.client.close({ drainMs: 1000 });
  });

  test("Debian's awscli reads back what was stored (aws s3api get-object, aws s3 cp)", async (t) => {
    const missing = awscliMissing();
    if (missing) return t.skip(missing);
    const bucket = 'logs-awscli';
    await createBucket(sdk, bucket);
    const h = harness(local, { bucket, prefix: 'cli' });
    const lines = Array.from({ length: 50 }, (_, i) => `awscli line ${i}`);
    h.client.enqueue(
      lines.map((line, i) => entry(line, T0 + i, { job: 'cli' })),
      1,
    );
    await until(() => h.progress.at(-1) === 1, 'stored');
    const [key] = await listKeys(sdk, bucket);
    const cli = awsCli(local.url, local.region);
    const head = (await cli.json([
      's3api',
      'get-object',
      '--bucket',
      bucket,
      '--key',
      key!,
      'object.gz',
    ])) as { ContentEncoding?: string; ServerSideEncryption?: string };
    assert.equal(head.ContentEncoding, 'gzip');
    assert.equal(head.ServerSideEncryption, 'AES256');
    const read = (file: string) =>
      gunzipSync(readFileSync(join(cli.home, file)))
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { line: string }).line);
    assert.deepEqual(read('object.gz'), lines);
    const copied = await cli.run(['s3', 'cp', `s3://${bucket}/${key}`, 'copied.gz']);
    assert.equal(copied.status, 0, copied.stderr);
    assert.deepEqual(read('copied.gz'), lines);
    await h.client.close({ drainMs: 1000 });
  });
});
