import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Registry } from 'prom-client';
import type { LogEntry } from '../../../src/model/log-entry.js';
import { compileStages } from '../../../src/process/stages/index.js';
import type { EntrySink } from '../../../src/pipelines/logs/fanout.js';
import { Ingest, type IngestLimits } from '../../../src/pipelines/logs/ingest.js';

/** A sink that keeps what it is given, and the origins it was told are safe. */
class KeepingSink implements EntrySink {
  readonly entries: LogEntry[] = [];
  write(entries: readonly LogEntry[]): Promise<void> {
    this.entries.push(...entries);
    return Promise.resolve();
  }
  close(): Promise<number> {
    return Promise.resolve(0);
  }
  stopWaiting(): void {}
}

function ingest(limits: Partial<IngestLimits>, stagesYaml: unknown[] = [], now = Date.now) {
  const sink = new KeepingSink();
  const settled: unknown[] = [];
  const dropped: string[] = [];
  const i = new Ingest({
    stages: new Map([['job', compileStages(stagesYaml, 'pipeline_stages')]]),
    runContext: { registry: new Registry(), log: () => {}, now },
    sink,
    settle: (origin) => settled.push(origin),
    limits: {
      maxStreams: 0,
      readlineRate: undefined,
      readlineBurst: 1,
      readlineRateDrop: true,
      ...limits,
    },
    counters: { dropped: (reason) => dropped.push(reason) },
  });
  return { i, sink, settled, dropped };
}

const line = (n: number, labels: Record<string, string> = { app: 'a' }) => ({
  labels,
  line: `line ${n}`,
  key: '/var/log/a.log',
  job: 'job',
  origin: n,
});

describe('ingest: from lines read to entries written', () => {
  test('max_streams drops entries of streams past the limit, counted, their lines settled', async () => {
    const { i, sink, settled, dropped } = ingest({ maxStreams: 2 });
    await i.push([
      line(1, { app: 'a' }),
      line(2, { app: 'b' }),
      line(3, { app: 'c' }),
      line(4, { app: 'a' }),
    ]);
    assert.deepEqual(
      sink.entries.map((e) => e.line),
      ['line 1', 'line 2', 'line 4'],
    );
    assert.deepEqual(dropped, ['stream_limited']);
    assert.deepEqual(settled, [3]);
    // A file's entries share one label object (the WAL writes it once per record).
    assert.equal(sink.entries[0]!.labels, sink.entries[2]!.labels);
  });

  test('internal labels are removed after the stages, the tenant is kept for the client', async () => {
    const { i, sink } = ingest({}, [{ tenant: { value: 'team-a' } }]);
    await i.push([line(1, { app: 'a', __secret_meta: 'x' })]);
    assert.deepEqual(sink.entries[0]!.labels, { app: 'a', __tenant_id__: 'team-a' });
  });

  test('readline_rate with readline_rate_drop drops what is over the burst, counted', async () => {
    let now = 0;
    const { i, sink, dropped, settled } = ingest(
      { readlineRate: 10, readlineBurst: 3, readlineRateDrop: true },
      [],
      () => now,
    );
    await i.push([1, 2, 3, 4, 5].map((n) => line(n)));
    assert.equal(sink.entries.length, 3);
    assert.deepEqual(dropped, ['readline_rate_limited', 'readline_rate_limited']);
    assert.deepEqual(settled, [4, 5]);
    now += 200; // two tokens at 10 a second
    await i.push([6, 7, 8].map((n) => line(n)));
    assert.deepEqual(
      sink.entries.map((e) => e.line),
      ['line 1', 'line 2', 'line 3', 'line 6', 'line 7'],
    );
  });

  test('readline_rate without drop waits instead, losing nothing', async () => {
    const { i, sink, dropped } = ingest({
      readlineRate: 200,
      readlineBurst: 2,
      readlineRateDrop: false,
    });
    const began = Date.now();
    await i.push([1, 2, 3, 4, 5, 6].map((n) => line(n)));
    assert.equal(sink.entries.length, 6);
    assert.deepEqual(dropped, []);
    assert.ok(Date.now() - began >= 15, 'four lines over the burst waited for tokens');
  });

  test('a stage that drops settles the line; multiline merges settle the absorbed lines', async () => {
    const { i, sink, settled } = ingest({}, [
      { multiline: { firstline: '^line [0-9]+$', max_wait_time: '3s' } },
      { drop: { expression: 'line 9' } },
    ]);
    await i.push([line(1), { ...line(2), line: '  at Foo.bar' }, line(9), line(10)]);
    await i.stop();
    assert.deepEqual(
      sink.entries.map((e) => e.line),
      ['line 1\n  at Foo.bar', 'line 10'],
    );
    assert.deepEqual([...settled].sort(), [2, 9].sort());
  });
});
