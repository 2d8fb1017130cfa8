/**
 * A batch keeps its events as the PutLogEvents body they become. The body is
 * read back with JSON.parse (the platform's decoder, not ours) and must hold
 * every event, in timestamp order, byte for byte, however it was filled.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Batch, putLogEventsHead, StreamQueue } from '../../../src/sinks/cloudwatch-logs/batch.js';

interface Sent {
  logGroupName: string;
  logStreamName: string;
  logEvents: { timestamp: number; message: string }[];
}

const limits = { maxEvents: 10_000, maxBytes: 1_048_576 };
const tricky = [
  'plain',
  'quote " and \\ backslash',
  'tab\tand\u0001control',
  'é 日本語 🙂',
  '{"json":true}',
];

describe('CloudWatch Logs batch body', () => {
  test('events in time order go out as written, growing the buffer past its first size', () => {
    const batch = new Batch(putLogEventsHead('/app/g', 'host-1'), 64);
    const want: Sent['logEvents'] = [];
    for (let i = 0; i < 2_000; i++) {
      const message = `${tricky[i % tricky.length]} #${i}`;
      want.push({ timestamp: 1_700_000_000_000 + i, message });
      batch.add(1_700_000_000_000 + i, message, Buffer.byteLength(message) + 26, 1 + (i >> 9));
    }
    const sent = JSON.parse(batch.seal().body().toString('utf8')) as Sent;
    assert.equal(sent.logGroupName, '/app/g');
    assert.equal(sent.logStreamName, 'host-1');
    assert.deepEqual(sent.logEvents, want);
    assert.deepEqual(
      [...batch.countsBySeq()],
      [
        [1, 512],
        [2, 512],
        [3, 512],
        [4, 464],
      ],
    );
    assert.equal(batch.count, 2_000);
    assert.equal(batch.bytesBetween(0, 2_000), batch.bytes);
  });

  test('events out of time order are sorted, equal times keeping their order', () => {
    const batch = new Batch(putLogEventsHead('g', 's'));
    const input = [
      [30, 'c1'],
      [10, 'a1'],
      [30, 'c2'],
      [20, 'b "1"'],
      [10, 'a2 é'],
    ] as const;
    input.forEach(([t, m], i) => batch.add(t, m, Buffer.byteLength(m) + 26 + i, 7));
    const sent = JSON.parse(batch.seal().body().toString('utf8')) as Sent;
    assert.deepEqual(
      sent.logEvents.map((e) => [e.timestamp, e.message]),
      [
        [10, 'a1'],
        [10, 'a2 é'],
        [20, 'b "1"'],
        [30, 'c1'],
        [30, 'c2'],
      ],
    );
    // Sizes follow their events: a1 (index 1) is first now, c2 (index 2) last.
    assert.equal(batch.bytesBetween(0, 1), 2 + 26 + 1);
    assert.equal(batch.bytesBetween(4, 5), 2 + 26 + 2);
    assert.equal(batch.bytesBetween(0, 5), batch.bytes);
  });

  test('a stream seals at the event limit and sizes its next buffer from the last body', () => {
    const stream = new StreamQueue('s', 'g');
    let sealed = 0;
    for (let i = 0; i < 25; i++) {
      if (stream.add(i, `line ${i}`, 32, 1, { maxEvents: 10, maxBytes: limits.maxBytes })) sealed++;
    }
    assert.equal(sealed, 2);
    assert.equal(stream.cut(), true);
    const bodies = stream.ready.map(
      (b) => (JSON.parse(b.body().toString('utf8')) as Sent).logEvents.length,
    );
    assert.deepEqual(bodies, [10, 10, 5]);
  });
});
