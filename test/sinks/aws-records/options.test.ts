/** Settings that cannot work are refused at start, naming the key and what to do. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import { AwsClient } from '../../../src/aws/http/aws-client.js';
import { RecordSinkOptionsError } from '../../../src/sinks/aws-records/index.js';
import { FirehoseClient, createFirehoseMetrics } from '../../../src/sinks/firehose/index.js';
import {
  KinesisClient,
  compileKeyTemplate,
  createKinesisMetrics,
  parseKinesisStreamArn,
} from '../../../src/sinks/kinesis/index.js';
import { collect } from './helpers.js';

const aws = new AwsClient({
  service: 'kinesis',
  region: 'us-east-1',
  credentials: createCredentialProvider({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }),
});
const url = 'http://127.0.0.1:9';

function refused(make: () => unknown, message: RegExp): void {
  assert.throws(make, (error: unknown) => {
    assert.ok(error instanceof RecordSinkOptionsError, String(error));
    assert.match(error.message, message);
    assert.ok((error.hint ?? '').length > 0);
    return true;
  });
}

test('Firehose: a bad delivery stream name, format, oversized action, aggregate without newline', () => {
  const deps = collect(createFirehoseMetrics).deps;
  const path = 'logs.configs[0].clients[0].firehose';
  const make = (o: object) => () =>
    new FirehoseClient({ deliveryStreamName: 'ok', url, aws, path, ...o }, deps);
  refused(make({ deliveryStreamName: 'arn:aws:firehose:x' }), /firehose\.delivery_stream_name/);
  refused(make({ deliveryStreamName: 'x'.repeat(65) }), /delivery_stream_name/);
  refused(make({ format: 'xml' }), /clients\[0\]\.firehose\.record_format/);
  refused(make({ oversized: 'ignore' }), /\.oversized/);
  refused(make({ aggregate: true, newline: false }), /aggregate needs newline/);
  refused(make({ minBackoffMs: 100, maxBackoffMs: 10 }), /max_backoff/);
  refused(make({ jitter: 2 }), /jitter/);
  refused(make({ batchWaitMs: 0 }), /batch_wait must be positive/);
  const ok = new FirehoseClient({ deliveryStreamName: 'x'.repeat(64), url, aws }, deps);
  assert.equal(ok.name, `firehose/${'x'.repeat(64)}`);
  void ok.close({ drainMs: 0 });
});

test('Kinesis: name or ARN, one of them, and a partition key template of label references', () => {
  const deps = collect(createKinesisMetrics).deps;
  const make = (o: object) => () => new KinesisClient({ url, aws, path: 'k', ...o }, deps);
  refused(make({}), /k\.stream_name/);
  refused(
    make({ streamName: 'a', streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/a' }),
    /both set/,
  );
  refused(
    make({ streamArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/a' }),
    /stream_arn/,
  );
  refused(
    make({ streamName: 's', partitionKey: '{{ pod }}' }),
    /k\.partition_key: \{\{ pod \}\} is not a label reference/,
  );
  refused(make({ streamName: 's', partitionKey: '{{ .pod }' }), /unmatched/);
  refused(make({ streamName: 's', partitionKey: '' }), /partition_key is empty/);
  assert.deepEqual(parseKinesisStreamArn('arn:aws-cn:kinesis:cn-north-1:123456789012:stream/x'), {
    region: 'cn-north-1',
    account: '123456789012',
    name: 'x',
  });
  const render = compileKeyTemplate('{{ .ns }}/{{- .pod -}}', 'p');
  assert.equal(render({ ns: 'a', pod: 'b' }), 'a/b');
  assert.equal(render({ ns: 'a' }), 'a/');
  assert.equal(compileKeyTemplate('{{ .pod }}', 'p')({}), undefined, 'empty: the hash is used');
});
