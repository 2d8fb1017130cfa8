/**
 * The CloudWatch Logs client's options and its pure parts: every value AWS
 * would refuse is refused at start with the key that holds it; the stream
 * name template; formatting and cutting of messages; the destination URL.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import { AwsClient } from '../../../src/aws/http/aws-client.js';
import { msToNs } from '../../../src/model/log-entry.js';
import { Registry } from 'prom-client';
import {
  CloudWatchLogsConfigError,
  cloudWatchLogsUrl,
  createCloudWatchLogsMetrics,
  resolveCloudWatchLogsOptions,
  type CloudWatchLogsOptions,
} from '../../../src/sinks/cloudwatch-logs/index.js';
import { rejectedCounts } from '../../../src/sinks/cloudwatch-logs/api.js';
import { EventFormatter, timestampMs } from '../../../src/sinks/cloudwatch-logs/events.js';
import { compileStreamName } from '../../../src/sinks/cloudwatch-logs/stream-name.js';

const aws = new AwsClient({
  service: 'logs',
  region: 'eu-west-1',
  credentials: createCredentialProvider({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }),
});

function resolve(extra: Partial<CloudWatchLogsOptions>) {
  return resolveCloudWatchLogsOptions({
    aws,
    url: 'https://logs.eu-west-1.amazonaws.com',
    logGroupName: 'app',
    path: 'logs.configs[0].clients[0].cloudwatch_logs',
    ...extra,
  });
}

function refused(extra: Partial<CloudWatchLogsOptions>, key: string, hint: RegExp): void {
  assert.throws(
    () => resolve(extra),
    (error: unknown) => {
      assert.ok(error instanceof CloudWatchLogsConfigError, String(error));
      assert.ok(
        error.message.startsWith(`logs.configs[0].clients[0].cloudwatch_logs.${key}: `),
        error.message,
      );
      assert.match(error.hint ?? '', hint);
      return true;
    },
  );
}

describe('CloudWatch Logs options', () => {
  test('defaults: create group and stream, line format, split, AWS’s batch limits', () => {
    const o = resolve({});
    assert.equal(o.name, 'cwlogs://eu-west-1/app');
    assert.equal(o.host, 'logs.eu-west-1.amazonaws.com');
    assert.equal(o.createLogGroup, true);
    assert.equal(o.createLogStream, true);
    assert.equal(o.logFormat, 'line');
    assert.equal(o.oversize, 'split');
    assert.equal(o.maxBatchEvents, 10_000);
    assert.equal(o.maxBatchBytes, 1_048_576);
  });

  test('retention_in_days takes only the values CloudWatch Logs offers', () => {
    for (const days of [
      1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
      3288, 3653,
    ]) {
      assert.equal(resolve({ retentionInDays: days }).retentionInDays, days);
    }
    for (const days of [0, 2, 4, 15, 366, 3654, 1.5]) {
      refused({ retentionInDays: days }, 'retention_in_days', /one of 1, 3, 5, 7, 14/);
    }
  });

  test('names, class, KMS key and limits AWS would refuse are refused with their key', () => {
    refused({ logGroupName: 'has space' }, 'log_group_name', /1–512 characters/);
    refused({ logGroupName: 'a'.repeat(513) }, 'log_group_name', /1–512/);
    refused({ logGroupName: '' }, 'log_group_name', /1–512/);
    refused({ logGroupName: 'aws/lambda' }, 'log_group_name', /reserves aws\//);
    assert.equal(resolve({ logGroupName: '/a.b-c_d#9' }).logGroupName, '/a.b-c_d#9');
    refused(
      { logGroupClass: 'COLD' as never },
      'log_group_class',
      /STANDARD, INFREQUENT_ACCESS, DELIVERY/,
    );
    refused({ kmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }, 'kms_key_id', /key ARN/);
    const arn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    assert.equal(resolve({ kmsKeyId: arn }).kmsKeyId, arn);
    refused({ logFormat: 'xml' as never }, 'log_format', /line or json/);
    refused({ oversize: 'drop' as never }, 'oversize', /split or truncate/);
    refused({ maxBatchEvents: 10_001 }, 'max_batch_events', /1 to 10000/);
    refused({ maxBatchBytes: 1_048_577 }, 'max_batch_bytes', /27 to 1048576/);
    refused({ logStreamName: '{{ pod }}' }, 'log_stream_name', /\{\{ \.label \}\}/);
  });
});

describe('stream name template', () => {
  test('labels fill the references; missing ones render empty; : and * become _', () => {
    const name = compileStreamName('{{ .pod }}/{{.container}}', 'k8s-', 'p');
    assert.equal(name({ pod: 'api-1', container: 'main' }), 'k8s-api-1/main');
    assert.equal(name({ pod: 'api-1' }), 'k8s-api-1/');
    assert.equal(compileStreamName('{{ .a }}', '', 'p')({ a: 'x:y*z' }), 'x_y_z');
    assert.equal(compileStreamName('fixed', 'pre/', 'p')({}), 'pre/fixed');
  });

  test('cut to 512 characters; an empty name falls back to the host name', () => {
    assert.equal(compileStreamName('{{ .a }}', '', 'p')({ a: 'x'.repeat(600) }).length, 512);
    assert.ok(compileStreamName('{{ .a }}', '', 'p')({}).length > 0);
  });

  test('anything but literal text and {{ .label }} is refused', () => {
    assert.throws(
      () => compileStreamName('{{ .a | upper }}', '', 'x.log_stream_name'),
      /x\.log_stream_name/,
    );
    assert.throws(() => compileStreamName('{{ .a }', '', 'p'), /unclosed/);
  });
});

describe('event formatting', () => {
  const at = (line: string) => ({ labels: {}, line, timestampNs: 0n });

  test('split and truncate count UTF-8 bytes and never halve a character', () => {
    const split = new EventFormatter('line', 'split', 10);
    assert.deepEqual(split.messages(at('0123456789')), {
      kind: 'events',
      messages: ['0123456789'],
    });
    // '€' is 3 bytes, '😀' 4 (two UTF-16 units): 10 bytes hold 3 '€' or 2 '😀'.
    assert.deepEqual(split.messages(at('€€€€')), {
      kind: 'events',
      messages: ['€€€', '€'],
      cut: 'split',
    });
    assert.deepEqual(split.messages(at('😀😀😀')), {
      kind: 'events',
      messages: ['😀😀', '😀'],
      cut: 'split',
    });
    const truncate = new EventFormatter('line', 'truncate', 10);
    assert.deepEqual(truncate.messages(at('0123456789A')), {
      kind: 'events',
      messages: ['0123456789'],
      cut: 'truncated',
    });
    assert.deepEqual(split.messages(at('')), { kind: 'empty' });
  });

  test('json: the line is cut by its escaped size, so every part is valid JSON within the limit', () => {
    const max = 40;
    const f = new EventFormatter('json', 'split', max);
    const line = 'a"\n\u0001b\\c';
    const out = f.messages({ labels: { k: 'v' }, line, timestampNs: 0n });
    assert.equal(out.kind, 'events');
    if (out.kind !== 'events') return;
    const parts = out.messages.map((m) => {
      assert.ok(Buffer.byteLength(m) <= max, m);
      return JSON.parse(m) as { line: string; labels: unknown };
    });
    assert.equal(parts.map((p) => p.line).join(''), line);
    assert.ok(parts.length > 1);
    const huge = new EventFormatter('json', 'split', 20).messages({
      labels: { label: 'x'.repeat(30) },
      line: 'l',
      timestampNs: 0n,
    });
    assert.deepEqual(huge, { kind: 'too-large' });
  });

  test('timestamps: nanoseconds floored to milliseconds', () => {
    assert.equal(
      timestampMs({ labels: {}, line: 'x', timestampNs: msToNs(1_700_000_000_123) + 999_999n }),
      1_700_000_000_123,
    );
    assert.equal(timestampMs({ labels: {}, line: 'x', timestampNs: -1n }), -1);
  });

  test('rejectedLogEventsInfo indexes become counts of a prefix and a suffix', () => {
    assert.deepEqual(rejectedCounts(undefined, 5), { tooOld: 0, expired: 0, tooNew: 0 });
    assert.deepEqual(
      rejectedCounts(
        { tooOldLogEventEndIndex: 1, expiredLogEventEndIndex: 2, tooNewLogEventStartIndex: 4 },
        5,
      ),
      {
        tooOld: 2,
        expired: 1,
        tooNew: 1,
      },
    );
    assert.deepEqual(rejectedCounts({ expiredLogEventEndIndex: 0 }, 3), {
      tooOld: 0,
      expired: 1,
      tooNew: 0,
    });
  });

  test('the regional endpoint, in China too', () => {
    assert.equal(cloudWatchLogsUrl('us-east-1'), 'https://logs.us-east-1.amazonaws.com');
    assert.equal(cloudWatchLogsUrl('cn-north-1'), 'https://logs.cn-north-1.amazonaws.com.cn');
  });
});

describe('self-metrics', () => {
  test('Promtail’s names where Promtail has one; one set per registry, shared by a second create', async () => {
    const registry = new Registry();
    const a = createCloudWatchLogsMetrics(registry);
    const b = createCloudWatchLogsMetrics(registry);
    assert.equal(a.sentEntries, b.sentEntries);
    a.droppedEntries.labels('logs.eu-west-1.amazonaws.com', 'too_old').inc(2);
    const text = await registry.metrics();
    for (const name of [
      'promtail_sent_entries_total',
      'promtail_sent_bytes_total',
      'promtail_dropped_entries_total',
      'promtail_dropped_bytes_total',
      'promtail_request_duration_seconds',
      'promtail_batch_retries_total',
      'signet_cloudwatch_logs_failed_requests_total',
      'signet_cloudwatch_logs_retried_entries_total',
      'signet_cloudwatch_logs_oversized_entries_total',
      'signet_cloudwatch_logs_batch_events',
      'signet_cloudwatch_logs_batch_bytes',
      'signet_cloudwatch_logs_resources_created_total',
    ]) {
      assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
    }
    assert.match(
      text,
      /^promtail_dropped_entries_total\{host="logs\.eu-west-1\.amazonaws\.com",reason="too_old"\} 2$/m,
    );
  });
});
