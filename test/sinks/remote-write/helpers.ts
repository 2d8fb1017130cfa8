/**
 * Test fixtures for remote-write queues: series tables, sample batches
 * (staleness markers written as bits), WAL-like tokens and a queue with
 * short timings pointed at a Receiver.
 */
import type { AwsClient } from '../../../src/aws/http/aws-client.js';
import type { LocalStack } from '../../../src/local/index.js';
import { labelsFromRecord } from '../../../src/model/labels.js';
import { SeriesTable, markStale, type SampleBatch } from '../../../src/model/series.js';
import { RemoteWriteQueue } from '../../../src/sinks/remote-write/queue.js';
import type { RemoteWriteQueueOptions } from '../../../src/sinks/remote-write/types.js';
import { demoAws, type LogLine } from '../../helpers/sink-harness.js';

export type { LogLine } from '../../helpers/sink-harness.js';

/** A WAL position as the caller might have one: opaque to the queue. */
export interface Token {
  readonly segment: number;
  readonly offset: number;
}

export const compareTokens = (a: Token, b: Token): number =>
  a.segment - b.segment || a.offset - b.offset;

export const token = (n: number): Token => ({ segment: Math.floor(n / 100), offset: n % 100 });

/** `count` series named `test_metric` with a `series` label "0".."count-1"; ids 1..count. */
export function seriesTable(count: number): SeriesTable {
  const table = new SeriesTable();
  for (let i = 0; i < count; i++) {
    table.create(labelsFromRecord({ __name__: 'test_metric', series: String(i), job: 'test' }));
  }
  return table;
}

export type SampleSpec = readonly [id: number, timestamp: number, value: number | 'stale'];

export function batchOf(samples: readonly SampleSpec[]): SampleBatch {
  const ids = new Uint32Array(samples.length);
  const timestamps = new Float64Array(samples.length);
  const values = new Float64Array(samples.length);
  samples.forEach(([id, t, v], i) => {
    ids[i] = id;
    timestamps[i] = t;
    if (v === 'stale') markStale(values, i);
    else values[i] = v;
  });
  return { count: samples.length, ids, timestamps, values };
}

/** One sample for each of series 1..seriesCount at `timestamp`, valued `timestamp + id`. */
export function scrape(seriesCount: number, timestamp: number): SampleBatch {
  const specs: SampleSpec[] = [];
  for (let id = 1; id <= seriesCount; id++) specs.push([id, timestamp, timestamp + id]);
  return batchOf(specs);
}

export interface TestQueue {
  readonly queue: RemoteWriteQueue<Token>;
  readonly progress: Token[];
  readonly logs: LogLine[];
}

export function testQueue(
  table: SeriesTable,
  options: Partial<RemoteWriteQueueOptions<Token>> & { url: string },
): TestQueue {
  const progress: Token[] = [];
  const logs: LogLine[] = [];
  const queue = new RemoteWriteQueue<Token>({
    series: (id) => table.get(id)?.labels,
    compareTokens,
    onProgress: (t) => progress.push(t),
    log: (level, message, fields) => logs.push({ level, message, fields }),
    remoteTimeoutMs: 10_000,
    ...options,
    queueConfig: {
      batchSendDeadlineMs: 10,
      minBackoffMs: 2,
      maxBackoffMs: 20,
      ...options.queueConfig,
    },
  });
  return { queue, progress, logs };
}

/** The label `series` of each decoded series, as the number it was created with plus 1 (its id). */
export function idOf(labels: readonly { name: string; value: string }[]): number {
  return Number(labels.find((l) => l.name === 'series')?.value) + 1;
}

/** A client signing for signet local's AMP with the demo keys. */
export function ampClient(local: LocalStack): AwsClient {
  return demoAws(local, 'aps');
}
