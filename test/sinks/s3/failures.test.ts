/**
 * What the S3 client does when uploads fail, against `signet local` over
 * 127.0.0.1: 503 and SlowDown (local's fault injection) retried from the
 * buffer until every entry is stored exactly once, with no partial object;
 * a full buffer answered with false; credentials S3 refuses held, never
 * dropped, until a rewritten credentials file fixes them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client as SdkS3Client } from '@aws-sdk/client-s3';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  startLocal,
  type LocalStack,
} from '../../../src/local/index.js';
import { clearFaults, loggedRequests, postFaults } from '../../helpers/local-stack.js';
import {
  allLines,
  createBucket,
  entry,
  harness,
  listKeys,
  metricValue,
  s3Aws,
  sdkS3,
  until,
} from './helpers.js';

const seq = (line: string) => Number(/"line":"\w+ (\d+)"/.exec(line)?.[1]);
const lineOf = (json: string) => (JSON.parse(json) as { line: string }).line;

describe('S3 client failures (signet local)', () => {
  let local: LocalStack;
  let sdk: SdkS3Client;
  let dir: string;
  before(async () => {
    local = await startLocal();
    sdk = sdkS3(local);
    dir = mkdtempSync(join(tmpdir(), 'signet-s3-'));
  });
  after(async () => {
    sdk.destroy();
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('503 for 1.5 s while entries keep coming: retried from the buffer, each entry stored once, no partial object', async () => {
    const bucket = 'logs-outage';
    await createBucket(sdk, bucket);
    const before = (await loggedRequests(local)).length;
    await postFaults(local, {
      service: 's3',
      operation: 'PutObject',
      kind: 'error',
      status: 503,
      duration_ms: 1500,
    });
    const h = harness(local, { bucket, batchSizeBytes: 4000, batchWaitMs: 30 });
    const t0 = Date.now();
    const expected: string[] = [];
    for (let call = 1; call <= 40; call++) {
      const chunk = Array.from({ length: 10 }, (_, k) => {
        const i = (call - 1) * 10 + k;
        expected.push(`outage ${i}`);
        return entry(`outage ${i}`, t0 + i);
      });
      while (!h.client.enqueue(chunk, call)) await h.client.waitForRoom();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await until(() => h.progress.at(-1) === 40, 'everything stored after the outage');
    const failed = (await loggedRequests(local))
      .slice(before)
      .filter((r) => r.operation === 'PutObject' && r.status === 503);
    assert.ok(failed.length >= 2, `uploads failed during the outage (${failed.length})`);
    const lines = await allLines(sdk, bucket, true, seq);
    assert.deepEqual(lines.map(lineOf), expected, 'every entry exactly once, in order');
    assert.equal(await metricValue(h.registry, 'signet_s3_dropped_entries_total'), 0);
    assert.ok(
      (await metricValue(h.registry, 'signet_s3_failed_uploads_total', {
        cause: 'AWS ServiceUnavailable',
      })) >= failed.length,
    );
    assert.ok((await metricValue(h.registry, 'signet_s3_retried_uploads_total')) >= failed.length);
    // Progress never ran ahead of storage: each report is behind objects S3 had already stored.
    assert.deepEqual(
      h.progress,
      [...h.progress].sort((a, b) => a - b),
    );
    assert.deepEqual(await h.client.close({ drainMs: 1000 }), { unsent: 0 });
    await clearFaults(local);
  });

  test('SlowDown is retried with backoff', async () => {
    const bucket = 'logs-slowdown';
    await createBucket(sdk, bucket);
    await postFaults(local, { service: 's3', operation: 'PutObject', kind: 'throttle', count: 3 });
    const h = harness(local, { bucket });
    h.client.enqueue([entry('slow 1', Date.now()), entry('slow 2', Date.now())], 1);
    await until(() => h.progress.at(-1) === 1, 'stored');
    assert.equal(
      await metricValue(h.registry, 'signet_s3_retried_uploads_total', { cause: 'AWS SlowDown' }),
      3,
    );
    assert.deepEqual((await allLines(sdk, bucket, true, seq)).map(lineOf), ['slow 1', 'slow 2']);
    await h.client.close({ drainMs: 1000 });
  });

  test('a body damaged on the way is refused by signet local (its hash is checked), sent again, stored once whole', async () => {
    const bucket = 'logs-damaged';
    await createBucket(sdk, bucket);
    // A reverse proxy that flips one bit of the first two bodies it forwards, after signing.
    let damaged = 0;
    const target = new URL(local.url);
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (req.method === 'PUT' && body.length > 0 && damaged < 2) {
          damaged++;
          const at = body.length >> 1;
          body[at] = body[at]! ^ 0x10;
        }
        const upstream = request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.writeHead(502).end());
        upstream.end(body);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const before = (await loggedRequests(local)).length;
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const h = harness(local, { bucket, url, contentMd5: true });
      h.client.enqueue([entry('whole 1', Date.now()), entry('whole 2', Date.now())], 1);
      await until(() => h.progress.at(-1) === 1, 'stored');
      const puts = (await loggedRequests(local))
        .slice(before)
        .filter((r) => r.operation === 'PutObject');
      assert.deepEqual(
        puts.map((r) => [r.status, r.errorCode]),
        [
          [400, 'XAmzContentSHA256Mismatch'],
          [400, 'XAmzContentSHA256Mismatch'],
          [200, undefined],
        ],
      );
      assert.equal(
        await metricValue(h.registry, 'signet_s3_retried_uploads_total', {
          cause: 'AWS XAmzContentSHA256Mismatch',
        }),
        2,
      );
      assert.deepEqual((await allLines(sdk, bucket, true, seq)).map(lineOf), [
        'whole 1',
        'whole 2',
      ]);
      await h.client.close({ drainMs: 1000 });
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  test('a full buffer answers false until an upload makes room', async () => {
    const bucket = 'logs-full';
    await createBucket(sdk, bucket);
    await postFaults(local, {
      service: 's3',
      operation: 'PutObject',
      kind: 'error',
      status: 503,
      count: 5,
    });
    const h = harness(local, { bucket, batchSizeBytes: 500, maxBufferedBytes: 1000 });
    const long = 'x'.repeat(200);
    let refused = 0;
    for (let call = 1; call <= 10; call++) {
      const chunk = [entry(`full ${call} ${long}`, Date.now())];
      while (!h.client.enqueue(chunk, call)) {
        refused++;
        await h.client.waitForRoom();
      }
    }
    assert.ok(refused > 0, 'enqueue said full while uploads failed');
    await until(() => h.progress.at(-1) === 10, 'all stored');
    const lines = (await allLines(sdk, bucket, true, (l) => Number(/full (\d+)/.exec(l)?.[1])))
      .map(lineOf)
      .map((l) => l.split(' ').slice(0, 2).join(' '));
    assert.deepEqual(
      lines,
      Array.from({ length: 10 }, (_, i) => `full ${i + 1}`),
    );
    await h.client.close({ drainMs: 1000 });
    await clearFaults(local);
  });

  function writeCredentials(file: string, keyId: string, secret: string): void {
    writeFileSync(
      file,
      `[writer]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${secret}\n`,
    );
  }

  /** Signs with the `writer` profile of `file`, re-read on every forced refresh. */
  function awsReading(file: string) {
    return s3Aws(
      local,
      createCredentialProvider(
        { profile: 'writer' },
        {
          env: { AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: join(dir, 'none'), HOME: dir },
          minForceIntervalMs: 0,
          fileCheckIntervalMs: 3_600_000,
        },
      ),
    );
  }

  for (const [what, keyId, secret, reason] of [
    ['a key S3 does not know', 'AKIAIOSFODNN7NOTREAL', DEMO_SECRET_ACCESS_KEY, 'credentials'],
    [
      'a wrong secret',
      DEMO_ACCESS_KEY_ID,
      'not-the-secret-at-all-0000000000000000000',
      'signature',
    ],
  ] as const) {
    test(`${what} is held, never dropped, until the credentials file is fixed`, async () => {
      const bucket = `logs-held-${reason}`;
      await createBucket(sdk, bucket);
      const file = join(dir, `credentials-${reason}`);
      writeCredentials(file, keyId, secret);
      const h = harness(local, { bucket, aws: awsReading(file), holdMaxBackoffMs: 50 });
      for (let k = 1; k <= 5; k++) h.client.enqueue([entry(`held ${k}`, Date.now())], k);
      await until(() => h.client.blocked !== undefined, 'blocked');
      assert.equal(h.client.blocked?.reason, reason);
      await new Promise((resolve) => setTimeout(resolve, 300)); // several held attempts
      assert.deepEqual(h.progress, [], 'no progress past held entries');
      assert.deepEqual(await listKeys(sdk, bucket), []);
      assert.equal(await metricValue(h.registry, 'signet_s3_dropped_entries_total'), 0);
      writeCredentials(file, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY);
      await until(() => h.progress.at(-1) === 5, 'delivered after the fix');
      assert.equal(h.client.blocked, undefined);
      assert.deepEqual((await allLines(sdk, bucket, true, seq)).map(lineOf), [
        'held 1',
        'held 2',
        'held 3',
        'held 4',
        'held 5',
      ]);
      await h.client.close({ drainMs: 1000 });
    });
  }

  test('a bucket that does not exist is held (not-found), and close reports the entries unsent', async () => {
    const h = harness(local, { bucket: 'no-such-bucket-here', holdMaxBackoffMs: 50 });
    h.client.enqueue([entry('one', Date.now()), entry('two', Date.now())], 1);
    await until(() => h.client.blocked !== undefined, 'blocked');
    assert.equal(h.client.blocked?.reason, 'not-found');
    assert.deepEqual(await h.client.close({ drainMs: 100 }), { unsent: 2 });
    assert.deepEqual(h.progress, []);
    assert.equal(
      h.client.enqueue([entry('late', Date.now())], 2),
      false,
      'a closed client takes nothing',
    );
  });
});
