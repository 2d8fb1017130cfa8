import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SeriesTable } from '../../../src/model/series.js';
import {
  encodeMetadataRequest,
  type MetricMetadata,
} from '../../../src/sinks/remote-write/index.js';
import { testQueue } from './helpers.js';
import { Receiver } from './receiver.js';
import { decodeMetadataWithProtobufjs } from './wire.js';

const LIST: MetricMetadata[] = [
  { family: 'http_requests', type: 'counter', help: 'Requests served.', unit: '' },
  { family: 'queue_depth', type: 'gauge', help: 'Jobs waiting — per queue ☃', unit: '' },
  { family: 'request_duration_seconds', type: 'histogram', help: 'Latency.', unit: 'seconds' },
  { family: 'rpc', type: 'summary', help: '', unit: '' },
  { family: 'build', type: 'info', help: 'Build facts.', unit: '' },
  { family: 'feature', type: 'stateset', help: 'h', unit: '' },
  { family: 'old', type: 'untyped', help: 'x', unit: '' },
  { family: 'gh', type: 'gaugehistogram', help: 'y', unit: 'bytes' },
];

describe('remote-write metadata', () => {
  test('encodes WriteRequest.metadata as protobufjs reads it from the proto definition', () => {
    const decoded = decodeMetadataWithProtobufjs(encodeMetadataRequest(LIST));
    assert.deepEqual(
      decoded.map((m) => [m.metric_family_name, m.type, m.help, m.unit]),
      [
        ['http_requests', 'COUNTER', 'Requests served.', ''],
        ['queue_depth', 'GAUGE', 'Jobs waiting — per queue ☃', ''],
        ['request_duration_seconds', 'HISTOGRAM', 'Latency.', 'seconds'],
        ['rpc', 'SUMMARY', '', ''],
        ['build', 'INFO', 'Build facts.', ''],
        ['feature', 'STATESET', 'h', ''],
        ['old', 'UNKNOWN', 'x', ''],
        ['gh', 'GAUGEHISTOGRAM', 'y', 'bytes'],
      ],
    );
    assert.equal(encodeMetadataRequest([]).length, 0);
  });

  const receiver = new Receiver();
  before(() => receiver.start());
  after(() => receiver.stop());

  test('a queue sends it in requests of max_samples_per_send, retrying 5xx, counting a 400 as failed', async () => {
    let answered = 0;
    receiver.script = () => {
      answered++;
      if (answered === 2) return { status: 503 };
      if (answered === 5) return { status: 400, body: 'bad metadata' };
      return { status: 200 };
    };
    const { queue, logs } = testQueue(new SeriesTable(), { url: receiver.url });
    await queue.sendMetadata(LIST, 3);
    // 8 entries in requests of 3: the second is retried after a 503.
    const accepted = receiver.received.filter((r) => r.status === 200);
    assert.deepEqual(
      accepted.map((r) => r.metadata.map((m) => m.metric_family_name)),
      [
        ['http_requests', 'queue_depth', 'request_duration_seconds'],
        ['rpc', 'build', 'feature'],
        ['old', 'gh'],
      ],
    );
    assert.equal(receiver.received.length, 4);
    assert.deepEqual(
      receiver.received.map((r) => r.series.length),
      [0, 0, 0, 0],
    );
    await queue.sendMetadata(LIST.slice(6), 3);
    const stats = queue.stats;
    assert.equal(stats.metadataSent, 8);
    assert.equal(stats.metadataFailed, 2, 'the 400 dropped the second round, not retried');
    assert.equal(receiver.received.length, 5);
    assert.deepEqual(
      logs.filter((l) => l.level === 'error').map((l) => l.message),
      [
        `remote write to ${new URL(receiver.url).host} refused 2 metadata entries (invalid), dropped: ${receiver.url} answered HTTP 400: bad metadata`,
      ],
    );
    assert.ok(stats.metadataBytes > 0);
    assert.equal(stats.samplesSent, 0);
    await queue.close();
  });
});
