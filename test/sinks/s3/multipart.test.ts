/**
 * Multipart uploads against `signet local` with S3's real 5 MiB minimum
 * part size: parts as configured (checked in local's request log), the
 * object read back whole with the AWS SDK v3 client; a part failing with
 * 503 resumed within the same upload; an upload that cannot complete by
 * shutdown aborted, leaving no object and no parts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { S3Client as SdkS3Client } from '@aws-sdk/client-s3';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import type { LogEntry } from '../../../src/model/log-entry.js';
import { partSizeFor } from '../../../src/sinks/s3/index.js';
import { clearFaults, loggedRequests, postFaults } from '../../helpers/local-stack.js';
import {
  createBucket,
  entry,
  harness,
  listKeys,
  metricValue,
  readObjects,
  sdkS3,
  until,
} from './helpers.js';

const MiB = 1024 * 1024;
const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 0);

/** `count` lines of exactly 100 bytes with the newline, numbered. */
function lines(count: number, tag: string): LogEntry[] {
  return Array.from({ length: count }, (_, i) =>
    entry(`${tag} ${String(i).padStart(8, '0')} `.padEnd(99, 'x'), T0 + i),
  );
}

describe('S3 client multipart uploads (signet local)', () => {
  let local: LocalStack;
  let sdk: SdkS3Client;
  before(async () => {
    local = await startLocal();
    sdk = sdkS3(local);
    await createBucket(sdk, 'logs-multipart');
  });
  after(async () => {
    sdk.destroy();
    await local.close();
  });

  const options = {
    bucket: 'logs-multipart',
    format: 'raw',
    compression: 'none',
    batchSizeBytes: 12 * MiB,
    multipartThresholdBytes: 5 * MiB,
    partSizeBytes: 5 * MiB,
    batchWaitMs: 3_600_000,
  } as const;

  /** Enqueues just enough 100-byte lines to seal one 12 MiB object, in calls of 1,000 lines. */
  function fill(client: { enqueue(e: readonly LogEntry[], t: number): boolean }, tag: string) {
    const all = lines(Math.ceil((12 * MiB) / 100), tag);
    let token = 0;
    for (let i = 0; i < all.length; i += 1000) {
      assert.equal(client.enqueue(all.slice(i, i + 1000), ++token), true);
    }
    return { all, token };
  }

  async function requestsSince(count: number) {
    return (await loggedRequests(local)).slice(count);
  }

  test('above the threshold: 5 MiB parts, the last smaller, read back whole', async () => {
    const before = (await loggedRequests(local)).length;
    const h = harness(local, { ...options, prefix: 'whole' });
    const { all, token } = fill(h.client, 'whole');
    await until(() => h.progress.at(-1) === token, 'stored', 60_000);
    const log = await requestsSince(before);
    const objects = await readObjects(sdk, 'logs-multipart', false, 'whole/');
    assert.equal(objects.size, 1, 'one object, sealed at 12 MiB');
    assert.deepEqual(
      log.filter((r) => r.service === 's3').map((r) => r.operation),
      [
        'CreateMultipartUpload',
        'UploadPart',
        'UploadPart',
        'UploadPart',
        'CompleteMultipartUpload',
      ],
    );
    const parts = log.filter((r) => r.operation === 'UploadPart').map((r) => r.bytes);
    assert.deepEqual(parts, [5 * MiB, 5 * MiB, all.length * 100 - 10 * MiB]);
    assert.deepEqual(
      [...objects.values()][0],
      all.map((e) => e.line),
    );
    assert.deepEqual(await h.client.close({ drainMs: 10_000 }), { unsent: 0 });
    assert.equal(
      await metricValue(h.registry, 'signet_s3_objects_total', { upload: 'multipart' }),
      1,
    );
  });

  test('an object of exactly multipart_threshold is one PutObject; one byte more is multipart, its last part 1 byte', async () => {
    /** Five lines of 1 MiB with the newline (the last `extra` bytes longer), sealed by one enqueue. */
    const mib = (tag: string, extra: number) =>
      Array.from({ length: 5 }, (_, i) =>
        entry(`${tag}${i}`.padEnd(MiB - 1 + (i === 4 ? extra : 0), '.'), T0 + i),
      );
    const store = async (prefix: string, entries: LogEntry[]) => {
      const before = (await loggedRequests(local)).length;
      const h = harness(local, { ...options, prefix, batchSizeBytes: 64 * MiB, batchWaitMs: 0 });
      assert.equal(h.client.enqueue(entries, 1), true);
      assert.deepEqual(await h.client.close({ drainMs: 30_000 }), { unsent: 0 });
      const sent = (await requestsSince(before)).filter((r) => r.service === 's3');
      const objects = [...(await readObjects(sdk, 'logs-multipart', false, `${prefix}/`)).values()];
      assert.deepEqual(objects, [entries.map((e) => e.line)], 'one object, byte for byte');
      return sent;
    };
    const at = await store('threshold-at', mib('at', 0));
    assert.deepEqual(
      at.map((r) => [r.operation, r.status, r.bytes]),
      [['PutObject', 200, 5 * MiB]],
    );
    const past = await store('threshold-past', mib('past', 1));
    assert.deepEqual(
      past.map((r) => [r.operation, r.status]),
      [
        ['CreateMultipartUpload', 200],
        ['UploadPart', 200],
        ['UploadPart', 200],
        ['CompleteMultipartUpload', 200],
      ],
    );
    assert.deepEqual(
      past.filter((r) => r.operation === 'UploadPart').map((r) => r.bytes),
      [5 * MiB, 1],
    );
  });

  test('a part answered 503 is uploaded again within the same upload; the object is whole', async () => {
    const before = (await loggedRequests(local)).length;
    await postFaults(local, {
      service: 's3',
      operation: 'UploadPart',
      kind: 'error',
      status: 503,
      count: 2,
    });
    const h = harness(local, { ...options, prefix: 'resumed' });
    const { all, token } = fill(h.client, 'resumed');
    assert.deepEqual(await h.client.close({ drainMs: 60_000 }), { unsent: 0 });
    assert.equal(h.progress.at(-1), token);
    const log = (await requestsSince(before)).filter((r) => r.service === 's3');
    assert.equal(log.filter((r) => r.operation === 'CreateMultipartUpload').length, 1);
    const parts = log.filter((r) => r.operation === 'UploadPart');
    assert.deepEqual(
      parts.map((r) => r.status),
      [503, 503, 200, 200, 200],
    );
    const objects = [...(await readObjects(sdk, 'logs-multipart', false, 'resumed/')).values()];
    assert.deepEqual(objects, [all.map((e) => e.line)]);
    assert.ok(
      (await metricValue(h.registry, 'signet_s3_retried_uploads_total', {
        cause: 'AWS ServiceUnavailable',
      })) >= 2,
    );
    await clearFaults(local);
  });

  test('an upload that cannot complete by shutdown is aborted: no object, no parts left', async () => {
    const before = (await loggedRequests(local)).length;
    await postFaults(local, {
      service: 's3',
      operation: 'CompleteMultipartUpload',
      kind: 'error',
      status: 503,
    });
    const h = harness(local, { ...options, prefix: 'aborted', maxBackoffMs: 20 });
    const { all } = fill(h.client, 'aborted');
    await until(() => h.logs.length > 0, 'the failing completion logged', 60_000);
    const { unsent } = await h.client.close({ drainMs: 200 });
    await clearFaults(local);
    assert.equal(unsent, all.length, 'every entry reported unsent, for the WAL to resend');
    assert.deepEqual(h.progress, []);
    assert.deepEqual(await listKeys(sdk, 'logs-multipart', 'aborted/'), []);
    const log = (await requestsSince(before)).filter((r) => r.service === 's3');
    const aborts = log.filter((r) => r.operation === 'AbortMultipartUpload');
    assert.equal(aborts.length, 1);
    assert.equal(aborts[0]!.status, 204);
    assert.equal(await metricValue(h.registry, 'signet_s3_aborted_multipart_uploads_total'), 1);
  });

  test('part size grows so an object never needs more than 10,000 parts', () => {
    assert.equal(partSizeFor(12 * MiB, 5 * MiB), 5 * MiB);
    assert.equal(partSizeFor(10_000 * 5 * MiB, 5 * MiB), 5 * MiB);
    const big = 10_000 * 5 * MiB + 1;
    assert.equal(partSizeFor(big, 5 * MiB), 5 * MiB + 1);
    assert.ok(Math.ceil(big / partSizeFor(big, 5 * MiB)) <= 10_000);
  });
});
