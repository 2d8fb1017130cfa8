import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MalformedRecordError,
  RECORD_MAX_BYTES,
  RecordBuilder,
  readWal,
  recordOf,
  WalWriter,
} from '../../../src/buffer/wal/index.js';
import type { LogEntry } from '../../../src/model/log-entry.js';
import {
  decodeEntries,
  LOG_ENTRIES_RECORD,
  LogEntryTooLargeError,
} from '../../../src/pipelines/logs/records/log-entries.js';
import { LOGS_RECORDS } from '../../../src/pipelines/logs/wal-fanout.js';
import { tempDir } from '../../agent/harness.js';

const app = { job: 'app', filename: '/var/log/app.log' };
const sys = { job: 'syslog', host: 'ñandú' };

const entries: LogEntry[] = [
  { labels: app, line: 'first', timestampNs: 1_700_000_000_123_456_789n },
  { labels: sys, line: 'zweite Zeile ✓', timestampNs: 1n },
  {
    labels: app,
    line: '',
    timestampNs: 1_700_000_001_000_000_000n,
    structuredMetadata: { trace_id: 'abc' },
  },
];

describe('the log entries WAL record', () => {
  it('round-trips labels, lines, nanosecond timestamps and structured metadata', async () => {
    const tmp = tempDir('logs-wal');
    const dir = tmp.path;
    const wal = await WalWriter.open({ dir });
    wal.append(LOG_ENTRIES_RECORD, entries);
    await wal.close();
    const read: LogEntry[] = [];
    for await (const e of readWal(dir, undefined, { kinds: LOGS_RECORDS })) {
      read.push(...(recordOf(e.record, LOG_ENTRIES_RECORD) ?? []));
    }
    assert.deepEqual(read, [
      { ...entries[0], structuredMetadata: undefined },
      { ...entries[1], structuredMetadata: undefined },
      entries[2],
    ]);
    // One label object per stream, as written: a file's entries share theirs again.
    assert.equal(read[0]!.labels, read[2]!.labels);
    tmp.remove();
  });

  it('splits a chunk over records when it is larger than one record should be', () => {
    const line = 'x'.repeat(1024 * 1024);
    const big = Array.from({ length: 10 }, (_, i) => ({
      labels: app,
      line: `${i}${line}`,
      timestampNs: BigInt(i),
    }));
    const b = new RecordBuilder();
    let cursor: number | undefined = 0;
    const decoded: LogEntry[] = [];
    while (cursor !== undefined) {
      b.reset();
      const start = b.pos;
      cursor = LOG_ENTRIES_RECORD.encode(b, big, cursor);
      decoded.push(...decodeEntries(b.buf, start, b.pos));
    }
    assert.equal(decoded.length, 10);
    assert.deepEqual(
      decoded.map((e) => e.line[0]),
      big.map((e) => e.line[0]),
    );
  });

  it('refuses an entry no record can hold, naming the limit to set', () => {
    const huge = { labels: app, line: 'y'.repeat(RECORD_MAX_BYTES), timestampNs: 0n };
    assert.throws(
      () => LOG_ENTRIES_RECORD.encode(new RecordBuilder(), [huge], 0),
      (e: unknown) => e instanceof LogEntryTooLargeError && /max_line_size/.test(e.hint ?? ''),
    );
  });

  it('calls bytes it did not write malformed instead of inventing entries', () => {
    const b = new RecordBuilder();
    const start = b.pos;
    LOG_ENTRIES_RECORD.encode(b, entries, 0);
    for (const cut of [1, 5, 12]) {
      assert.throws(() => decodeEntries(b.buf, start, b.pos - cut), MalformedRecordError);
    }
    const bad = Buffer.from([1, 0, 1, 7, 0, 0, 0, 0]);
    assert.throws(() => decodeEntries(bad, 0, bad.length), /no stream/);
  });
});
