/**
 * The S3 destination as `signet run` would build it: the regional endpoint
 * for the configured region (China's suffix too), moved by
 * AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, signed for `s3`; objects sent
 * through it reach signet local. Also: one metric set per registry, and
 * what each S3 refusal means for the object.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupFunction } from 'node:net';
import { Registry } from 'prom-client';
import { Agent } from 'undici';
import type { S3Client as SdkS3Client } from '@aws-sdk/client-s3';
import { CorrectedClock } from '../../../src/aws/clock.js';
import { CredentialRegistry } from '../../../src/aws/credentials/registry.js';
import type { Env } from '../../../src/aws/env.js';
import { parseAwsError } from '../../../src/aws/errors/index.js';
import { AwsClient } from '../../../src/aws/http/aws-client.js';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  startLocal,
  type LocalStack,
} from '../../../src/local/index.js';
import {
  S3LogClient,
  classifyS3Error,
  createS3Destination,
  createS3Metrics,
  type S3DestinationOptions,
} from '../../../src/sinks/s3/index.js';
import { loggedRequests } from '../../helpers/local-stack.js';
import { allLines, createBucket, entry, listKeys, sdkS3, until } from './helpers.js';

describe('S3 destination', () => {
  let local: LocalStack;
  let sdk: SdkS3Client;
  const registries: CredentialRegistry[] = [];
  before(async () => {
    local = await startLocal();
    sdk = sdkS3(local);
  });
  after(async () => {
    for (const r of registries) r.close();
    sdk.destroy();
    await local.close();
  });

  function options(env: Env, extra: Partial<S3DestinationOptions> = {}): S3DestinationOptions {
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

  test('the regional endpoint, signed for s3 in the region', async () => {
    const eu = await createS3Destination(options({}, { region: 'eu-west-1' }));
    assert.equal(eu.url, 'https://s3.eu-west-1.amazonaws.com');
    assert.equal(eu.service, 's3');
    assert.equal(eu.region, 'eu-west-1');
    const cn = await createS3Destination(options({}, { region: 'cn-north-1' }));
    assert.equal(cn.url, 'https://s3.cn-north-1.amazonaws.com.cn');
  });

  test('AWS_ENDPOINT_URL_S3 (over AWS_ENDPOINT_URL) moves S3 to signet local, path-style, and objects arrive', async () => {
    await createBucket(sdk, 'via-override');
    const destination = await createS3Destination(
      options({ AWS_ENDPOINT_URL_S3: local.url, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }),
    );
    assert.equal(destination.endpointOverride?.from, 'AWS_ENDPOINT_URL_S3');
    const general = await createS3Destination(options({ AWS_ENDPOINT_URL: local.url }));
    assert.equal(general.endpointOverride?.from, 'AWS_ENDPOINT_URL');
    const progress: number[] = [];
    const client = new S3LogClient<number>(
      { bucket: 'via-override', url: destination.url, aws: destination.client, batchWaitMs: 10 },
      {
        progress: { compare: (a, b) => a - b, onProgress: (t) => progress.push(t) },
        metrics: createS3Metrics(new Registry()),
        log: () => {},
      },
    );
    assert.equal(client.options.addressing, 'path');
    client.enqueue([entry('via 1', Date.now()), entry('via 2', Date.now())], 1);
    await until(() => progress.at(-1) === 1, 'stored');
    assert.deepEqual(
      (await allLines(sdk, 'via-override', true, () => 0)).map(
        (l) => (JSON.parse(l) as { line: string }).line,
      ),
      ['via 1', 'via 2'],
    );
    await client.close({ drainMs: 1000 });
  });

  test('virtual-hosted addressing puts the bucket in the signed host, as AWS wants', async () => {
    await createBucket(sdk, 'logs-vhost');
    // *.localhost names resolve to 127.0.0.1 here, as browsers and systemd-resolved do.
    const lookup: LookupFunction = (_host, options, callback) => {
      if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    };
    const dispatcher = new Agent({ connect: { lookup } });
    const aws = new AwsClient({
      service: 's3',
      region: local.region,
      credentials: createCredentialProvider({
        accessKeyId: DEMO_ACCESS_KEY_ID,
        secretAccessKey: DEMO_SECRET_ACCESS_KEY,
      }),
      dispatcher,
    });
    const progress: number[] = [];
    const client = new S3LogClient<number>(
      {
        aws,
        url: `http://s3.localhost:${local.port}`,
        bucket: 'logs-vhost',
        addressing: 'virtual',
        batchWaitMs: 10,
      },
      {
        progress: { compare: (a, b) => a - b, onProgress: (t) => progress.push(t) },
        metrics: createS3Metrics(new Registry()),
        log: () => {},
      },
    );
    assert.equal(client.options.addressing, 'virtual');
    client.enqueue([entry('virtual', Date.now())], 1);
    await until(() => progress.at(-1) === 1, 'stored');
    const [key] = await listKeys(sdk, 'logs-vhost');
    const put = (await loggedRequests(local)).filter((r) => r.operation === 'PutObject').at(-1);
    assert.equal(put?.path, `/${key}`, 'the bucket is in the host, not the path');
    assert.ok(put?.signature.startsWith('verified'));
    await client.close({ drainMs: 1000 });
    await dispatcher.close();
  });

  test('one set of metrics per registry: a second create reuses the first', () => {
    const registry = new Registry();
    const first = createS3Metrics(registry);
    const again = createS3Metrics(registry);
    assert.equal(again.objects, first.objects);
    const names = registry.getMetricsAsArray().map((m) => m.name);
    for (const name of [
      'signet_s3_objects_total',
      'signet_s3_entries_total',
      'signet_s3_uncompressed_bytes_total',
      'signet_s3_stored_bytes_total',
      'signet_s3_failed_uploads_total',
      'signet_s3_retried_uploads_total',
      'signet_s3_dropped_entries_total',
      'signet_s3_upload_duration_seconds',
    ]) {
      assert.ok(names.includes(name), name);
    }
  });

  test("S3's refusals: request-level 400s retried, settings held, only an object S3 can never take dropped", () => {
    const refusal = (code: string, status: number) =>
      classifyS3Error(
        parseAwsError(
          {
            status,
            headers: { 'content-type': 'application/xml' },
            body: `<Error><Code>${code}</Code><Message>m</Message></Error>`,
          },
          { service: 's3' },
        ),
      );
    for (const code of [
      'RequestTimeout',
      'BadDigest',
      'XAmzContentSHA256Mismatch',
      'InvalidPart',
    ]) {
      assert.equal(refusal(code, 400).action, 'retry', code);
    }
    assert.equal(refusal('NoSuchUpload', 404).action, 'retry');
    assert.equal(refusal('SlowDown', 503).action, 'retry');
    assert.equal(refusal('InternalError', 200).action, 'retry', 'a 200 carrying an error');
    for (const code of ['InvalidArgument', 'InvalidStorageClass', 'KMS.NotFoundException']) {
      const verdict = refusal(code, 400);
      assert.deepEqual([verdict.action, verdict.blocked], ['hold', 'configuration'], code);
    }
    assert.deepEqual(
      [refusal('NoSuchBucket', 404).action, refusal('NoSuchBucket', 404).blocked],
      ['hold', 'not-found'],
    );
    assert.equal(refusal('AccessDenied', 403).action, 'hold');
    assert.deepEqual(
      [refusal('EntityTooLarge', 400).action, refusal('EntityTooLarge', 400).dropReason],
      ['drop', 'too-large'],
    );
  });
});
