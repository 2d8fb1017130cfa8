/**
 * The S3 client's options and pure parts: every value that cannot work is
 * refused with its key path and a hint; key formats, addressing and the
 * ndjson shape exactly as documented; and the integrity headers checked on
 * the wire by a plain HTTP server on 127.0.0.1 (Content-MD5 and
 * x-amz-content-sha256 recomputed here with node:crypto).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import { AwsClient } from '../../../src/aws/http/aws-client.js';
import { msToNs } from '../../../src/model/log-entry.js';
import {
  EntryEncoder,
  KeyFormat,
  S3ConfigError,
  S3LogClient,
  addressingOf,
  createS3Metrics,
  objectUrl,
  resolveS3SinkOptions,
  rfc3339Nano,
  type S3SinkOptions,
} from '../../../src/sinks/s3/index.js';

const aws = new AwsClient({
  service: 's3',
  region: 'us-east-1',
  credentials: createCredentialProvider({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
});
const base: S3SinkOptions = {
  aws,
  url: 'https://s3.us-east-1.amazonaws.com',
  bucket: 'my-logs',
  path: 'logs.configs[0].clients[0].s3',
};

function refused(options: Partial<S3SinkOptions>, key: string, hint: RegExp): void {
  assert.throws(
    () => resolveS3SinkOptions({ ...base, ...options }),
    (error: unknown) => {
      assert.ok(error instanceof S3ConfigError, String(error));
      assert.match(
        error.message,
        new RegExp(`^logs\\.configs\\[0\\]\\.clients\\[0\\]\\.s3\\.${key}: `),
      );
      assert.match(error.hint ?? '', hint);
      return true;
    },
  );
}

test('values that cannot work are refused by key, with what to do', () => {
  refused({ compression: 'zstd' }, 'compression', /gzip.*none/);
  refused({ compression: 'brotli' }, 'compression', /gzip, none/);
  refused({ format: 'json' }, 'format', /ndjson, raw/);
  refused({ kmsKeyId: 'alias/logs' }, 'kms_key_id', /sse: aws:kms/);
  refused({ sse: 'aws:kms', kmsKeyId: 'not a key' }, 'kms_key_id', /arn:aws:kms/);
  refused({ sse: 'KMS' }, 'sse', /AES256, aws:kms/);
  refused({ storageClass: 'COLD' }, 'storage_class', /STANDARD_IA/);
  refused({ bucket: 'My_Bucket' }, 'bucket', /3–63/);
  refused({ keyFormat: '%Y/%m/%d/app.log' }, 'key_format', /\$UUID/);
  refused({ keyFormat: '%Y/%j/$UUID' }, 'key_format', /%Y %m %d %H %M %S/);
  refused({ keyFormat: '{{ .app | upper }}/$UUID' }, 'key_format', /label/);
  refused({ prefix: 'p'.repeat(1000) }, 'prefix', /1024 bytes/);
  refused({ partSizeBytes: 1024 * 1024 }, 'part_size', /5242880/);
  refused({ url: 'http://127.0.0.1:4566', addressing: 'virtual' }, 'addressing', /path/);
  const ok = resolveS3SinkOptions({ ...base, sse: 'aws:kms', kmsKeyId: 'alias/logs' });
  assert.equal(ok.compression, 'gzip');
  assert.equal(ok.format, 'ndjson');
  assert.equal(ok.maxBufferedBytes, 4 * ok.batchSizeBytes);
  assert.equal(ok.name, 's3://my-logs');
});

test('addressing: virtual-hosted for AWS, path-style for IPs, localhost and dotted buckets over https', () => {
  const at = (url: string, bucket: string) => addressingOf('auto', new URL(url), bucket, 'x');
  assert.equal(at('https://s3.us-east-1.amazonaws.com', 'my-logs'), 'virtual');
  assert.equal(at('https://s3.us-east-1.amazonaws.com', 'my.logs'), 'path');
  assert.equal(at('http://127.0.0.1:4566', 'my-logs'), 'path');
  assert.equal(at('http://[::1]:4566', 'my-logs'), 'path');
  assert.equal(at('http://s3.localhost:4566', 'my-logs'), 'path');
  assert.equal(
    objectUrl('https://s3.us-east-1.amazonaws.com', 'virtual', 'my-logs', 'a b/c+d(1).gz'),
    'https://my-logs.s3.us-east-1.amazonaws.com/a%20b/c%2Bd%281%29.gz',
  );
  assert.equal(
    objectUrl('http://127.0.0.1:4566/base/', 'path', 'my-logs', 'k/v'),
    'http://127.0.0.1:4566/base/my-logs/k/v',
  );
});

test('key formats: strftime of the first entry in UTC, label partitions made key-safe, $UUID and $HOST', () => {
  const format = new KeyFormat('{{ .ns }}/{{ .app }}/%Y-%m-%dT%H:%M:%S%%-$UUID', '/logs', 'k');
  const labels = { ns: 'prod', app: 'web ui/α' };
  const partition = format.partition(labels);
  assert.equal(format.partition(labels), partition, 'cached by identity');
  assert.equal(
    format.partition({ ns: 'prod', app: 'web ui/α' }),
    partition,
    'equal values, one partition',
  );
  assert.notEqual(format.partition({ ns: 'dev', app: 'web ui/α' }), partition);
  assert.equal(
    format.render(partition, Date.UTC(2026, 11, 31, 23, 59, 58, 999), 'U'),
    'logs/prod/web_ui__/2026-12-31T23:59:58%-U',
  );
  assert.equal(format.render(format.partition({}), 0, 'U'), 'logs/_/_/1970-01-01T00:00:00%-U');
  assert.ok(new KeyFormat('$HOST/$UUID', '', 'k').render('', 0, 'U').endsWith('/U'));
});

test('ndjson: timestamp with nine digits, labels without __ names, line, then structured metadata', () => {
  assert.equal(
    rfc3339Nano(msToNs(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) + 7n),
    '2026-01-02T03:04:05.006000007Z',
  );
  assert.equal(rfc3339Nano(-1n), '1969-12-31T23:59:59.999999999Z');
  const encoder = new EntryEncoder('ndjson');
  assert.equal(
    encoder.encode({
      labels: { job: 'a', __path__: '/x' },
      line: 'he said "hi"\n',
      timestampNs: 1_000_000_001n,
      structuredMetadata: { trace_id: 't1' },
    }),
    '{"timestamp":"1970-01-01T00:00:01.000000001Z","labels":{"job":"a"},"line":"he said \\"hi\\"\\n","structured_metadata":{"trace_id":"t1"}}\n',
  );
  assert.equal(
    new EntryEncoder('raw').encode({ labels: {}, line: 'as is', timestampNs: 0n }),
    'as is\n',
  );
});

test('on the wire: x-amz-content-sha256 is the body hash and signed; content_md5 adds a signed Content-MD5', async () => {
  const seen: { url: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { etag: '"e"' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    for (const contentMd5 of [false, true]) {
      const progress: number[] = [];
      const client = new S3LogClient<number>(
        { aws, url, bucket: 'wire', contentMd5, batchWaitMs: 0 },
        {
          progress: { compare: (a, b) => a - b, onProgress: (t) => progress.push(t) },
          metrics: createS3Metrics(new Registry()),
          log: () => {},
        },
      );
      client.enqueue([{ labels: {}, line: 'wire', timestampNs: 0n }], 1);
      await client.close({ drainMs: 5000 });
      assert.deepEqual(progress, [1]);
      const put = seen.at(-1)!;
      assert.match(put.url, /^\/wire\/1970\/01\/01\/00\/.+\.ndjson\.gz$/);
      assert.equal(
        put.headers['x-amz-content-sha256'],
        createHash('sha256').update(put.body).digest('hex'),
      );
      const signed = /SignedHeaders=([^,]+)/
        .exec(String(put.headers.authorization))?.[1]
        ?.split(';');
      assert.ok(signed?.includes('x-amz-content-sha256'));
      if (contentMd5) {
        assert.equal(
          put.headers['content-md5'],
          createHash('md5').update(put.body).digest('base64'),
        );
        assert.ok(signed?.includes('content-md5'));
      } else {
        assert.equal(put.headers['content-md5'], undefined);
      }
    }
  } finally {
    server.close();
  }
});
