/**
 * The Loki-compatible receiver the logs tests and bench count with: it reads
 * protobuf+snappy and JSON pushes as Loki documents them, keeps entries per
 * stream in order, and refuses what it cannot read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import protobuf from 'protobufjs';
import { compressSync } from 'snappy';
import { LokiReceiver, parseLabels } from './loki-receiver.js';

// A second, hand-written writer of the wire format: field numbers from push.proto.
function encodePush(
  streams: { labels: string; entries: [seconds: number, nanos: number, line: string][] }[],
): Uint8Array {
  const w = protobuf.Writer.create();
  for (const stream of streams) {
    w.uint32((1 << 3) | 2).fork();
    w.uint32((1 << 3) | 2).string(stream.labels);
    for (const [seconds, nanos, line] of stream.entries) {
      w.uint32((2 << 3) | 2).fork();
      w.uint32((1 << 3) | 2).fork();
      w.uint32(1 << 3).int64(seconds);
      w.uint32(2 << 3).int32(nanos);
      w.ldelim();
      w.uint32((2 << 3) | 2).string(line);
      w.ldelim();
    }
    w.ldelim();
  }
  return w.finish();
}

describe('Loki receiver', () => {
  let receiver: LokiReceiver;
  let statuses: number[] = [];
  before(async () => {
    receiver = await LokiReceiver.start({ respond: (_p, i) => statuses[i] ?? 204 });
  });
  after(() => receiver.close());

  it('reads a protobuf+snappy push: labels, nanosecond timestamps, lines in order, tenant', async () => {
    const body = encodePush([
      {
        labels: '{job="varlogs", filename="/var/log/a \\"b\\".log"}',
        entries: [
          [1_764_000_000, 123_456_789, 'first'],
          [1_764_000_001, 5, 'second ü'],
        ],
      },
      { labels: '{job="other"}', entries: [[1, 0, 'x']] },
    ]);
    const res = await fetch(receiver.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', 'x-scope-orgid': 'team-a' },
      body: compressSync(Buffer.from(body)),
    });
    assert.equal(res.status, 204);
    const lines = receiver.linesOf({ job: 'varlogs' });
    assert.deepEqual(lines[0]!.labels, { job: 'varlogs', filename: '/var/log/a "b".log' });
    assert.deepEqual(
      lines.map((l) => [l.entry.timestampNs, l.entry.line]),
      [
        [1_764_000_000_123_456_789n, 'first'],
        [1_764_000_001_000_000_005n, 'second ü'],
      ],
    );
    assert.deepEqual(
      lines.map((l) => l.entry.tenant),
      ['team-a', 'team-a'],
    );
    assert.equal(receiver.linesOf({ job: 'other' }).length, 1);
    assert.equal(receiver.entries, 3);
  });

  it('reads a JSON push with structured metadata', async () => {
    const res = await fetch(receiver.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        streams: [
          { stream: { job: 'json' }, values: [['1764000000000000001', 'j1', { trace_id: 'abc' }]] },
        ],
      }),
    });
    assert.equal(res.status, 204);
    const [line] = receiver.linesOf({ job: 'json' });
    assert.equal(line!.entry.line, 'j1');
    assert.deepEqual(line!.entry.structuredMetadata, { trace_id: 'abc' });
  });

  it('answers what respond says and does not record refused pushes', async () => {
    statuses = [...Array<number>(receiver.pushes).fill(204), 429];
    const res = await fetch(receiver.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ streams: [{ stream: { job: 'late' }, values: [['1', 'l']] }] }),
    });
    assert.equal(res.status, 429);
    assert.equal(receiver.linesOf({ job: 'late' }).length, 0);
  });

  it('refuses bodies it cannot read', async () => {
    const bad = await fetch(receiver.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: 'not snappy',
    });
    assert.equal(bad.status, 400);
    const text = await fetch(receiver.url, { method: 'POST', body: 'x' });
    assert.equal(text.status, 415);
    assert.equal(receiver.rejected.length, 2);
  });

  it('parses label sets with Go escapes', () => {
    assert.deepEqual(parseLabels('{a="1", b="x\\ny\\\\z", c=""}'), { a: '1', b: 'x\ny\\z', c: '' });
    assert.deepEqual(parseLabels('{}'), {});
    assert.throws(() => parseLabels('a="1"'), /not a label set/);
  });
});
