import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { labelsFromRecord, type Labels } from '../../../src/model/labels.js';
import { SeriesTable, markStale } from '../../../src/model/series.js';
import { LabelCache } from '../../../src/sinks/remote-write/label-cache.js';
import { SampleColumns } from '../../../src/sinks/remote-write/sample-columns.js';
import { SnappyWriteRequestEncoder } from '../../../src/sinks/remote-write/snappy-encode.js';
import { Random } from '../../helpers/random.js';
import {
  decodeWithProtobufjs,
  rawSampleValues,
  specUncompress,
  uncompress,
  WriteRequestType,
  type DecodedSeries,
} from './wire.js';

const STALE_HEX = '020000000000f07f';

interface Fixture {
  readonly table: SeriesTable;
  readonly cache: LabelCache;
  readonly columns: SampleColumns;
}

/** Samples [id, timestamp, value] into columns; `'stale'` writes the marker's bits. */
function fixture(
  series: readonly Labels[],
  samples: readonly (readonly [number, number, number | 'stale'])[],
): Fixture {
  const table = new SeriesTable();
  for (const labels of series) table.create(labels);
  const cache = new LabelCache((id) => table.get(id)?.labels);
  const columns = new SampleColumns(4);
  columns.reserve(samples.length);
  const values = new Float64Array(samples.length);
  samples.forEach(([, , value], i) => {
    if (value === 'stale') markStale(values, i);
    else values[i] = value;
  });
  const words = new Uint32Array(values.buffer);
  samples.forEach(([id, timestamp], i) => {
    const t = columns.tail++;
    columns.ids[t] = id;
    columns.timestamps[t] = timestamp;
    columns.valueWords[t * 2] = words[i * 2]!;
    columns.valueWords[t * 2 + 1] = words[i * 2 + 1]!;
  });
  return { table, cache, columns };
}

/** The encoder over samples [start, end): its result, the body, and the body uncompressed by the snappy package. */
function encode(f: Fixture, start = f.columns.head, end = f.columns.tail) {
  const inline = new SnappyWriteRequestEncoder().encode(f.cache, f.columns, start, end);
  const inlineBody = Buffer.from(inline.body);
  return { inline, inlineBody, raw: uncompress(inlineBody) };
}

/** What protobufjs writes for the same request: the reference bytes (no NaN among the values). */
function protobufjsBytes(series: DecodedSeries[]): Buffer {
  return Buffer.from(
    WriteRequestType.encode(WriteRequestType.fromObject({ timeseries: series })).finish(),
  );
}

/** Each sample's value bits as the columns hold them, in hex, for samples [start, end). */
function columnValueHex(f: Fixture, start: number, end: number): string[] {
  const words = f.columns.valueWords;
  const out: string[] = [];
  for (let i = start; i < end; i++) {
    out.push(
      Buffer.from(new Uint32Array([words[i * 2]!, words[i * 2 + 1]!]).buffer).toString('hex'),
    );
  }
  return out;
}

function expected(f: Fixture, start: number, end: number): DecodedSeries[] {
  const out: DecodedSeries[] = [];
  for (let i = start; i < end; i++) {
    const id = f.columns.ids[i]!;
    const labels = f.table.get(id)!.labels.map((l) => ({ name: l.name, value: l.value }));
    const sample = { value: NaN, timestamp: f.columns.timestamps[i]! };
    const words = new Uint32Array([f.columns.valueWords[i * 2]!, f.columns.valueWords[i * 2 + 1]!]);
    sample.value = new Float64Array(words.buffer)[0]!;
    const previous = out[out.length - 1];
    if (i > start && f.columns.ids[i - 1] === id && previous) previous.samples.push(sample);
    else out.push({ labels, samples: [sample] });
  }
  return out;
}

describe('the remote-write encoder', () => {
  const series = [
    labelsFromRecord({ __name__: 'up', job: 'api', instance: '10.0.0.1:9100' }),
    labelsFromRecord({ __name__: 'temperature_celsius', room: 'kitchen ☕', sensor: 'é-1' }),
    labelsFromRecord({ __name__: 'long', blob: 'x'.repeat(300), other: 'y'.repeat(70) }),
    labelsFromRecord({ __name__: 'up', job: 'api', instance: '10.0.0.2:9100' }),
  ];

  test('protobufjs reads back every label, value and timestamp; values keep their exact bits', () => {
    const f = fixture(series, [
      [1, 1_700_000_000_000, 1],
      [2, 1_700_000_000_001, -12.5],
      [3, 1_700_000_000_002, Infinity],
      [4, 1_700_000_000_003, -Infinity],
      [1, 1_700_000_015_000, 'stale'],
      [2, 0, NaN],
      [3, -1, -0],
      [4, 2 ** 53 - 1, Number.MIN_VALUE],
      [1, -1_700_000_000_000, 5e-324],
    ]);
    const { inline, inlineBody } = encode(f);
    assert.equal(inline.samples, 9);
    assert.equal(inline.highestTimestampMs, 2 ** 53 - 1);
    for (const raw of [uncompress(inlineBody), specUncompress(inlineBody)]) {
      const decoded = decodeWithProtobufjs(raw);
      assert.deepEqual(decoded, expected(f, 0, 9));
      const hex = rawSampleValues(raw);
      assert.equal(hex[4], STALE_HEX, 'the staleness marker is sent bit for bit');
      assert.deepEqual(hex, columnValueHex(f, 0, 9));
    }
  });

  test('the snappy body decompresses to exactly the bytes protobufjs writes', () => {
    const f = fixture(series, [
      [1, 1000, 1],
      [4, 1000, 2],
      [1, 2000, 3],
      [2, 1000, 4],
      [3, 1000, 5],
      [3, 2000, 6],
      [4, 3000, 7],
    ]);
    const { inlineBody, raw } = encode(f);
    const reference = protobufjsBytes(expected(f, 0, 7));
    assert.deepEqual(raw, reference);
    assert.deepEqual(specUncompress(inlineBody), reference);
    assert.ok(inlineBody.length < reference.length, 'repeated labels are copies');
  });

  test('adjacent samples of one series share a TimeSeries', () => {
    const f = fixture(series, [
      [1, 1000, 1],
      [1, 2000, 2],
      [1, 3000, 3],
      [2, 1000, 4],
    ]);
    const decoded = decodeWithProtobufjs(encode(f).raw);
    assert.equal(decoded.length, 2);
    assert.deepEqual(
      decoded[0]!.samples.map((s) => s.timestamp),
      [1000, 2000, 3000],
    );
  });

  test('a sub-range encodes only its samples', () => {
    const f = fixture(series, [
      [1, 1000, 1],
      [2, 1000, 2],
      [3, 1000, 3],
      [4, 1000, 4],
    ]);
    const { raw } = encode(f, 1, 3);
    assert.deepEqual(decodeWithProtobufjs(raw), expected(f, 1, 3));
    assert.deepEqual(raw, protobufjsBytes(expected(f, 1, 3)));
  });

  test('series the label lookup drops are skipped and counted', () => {
    const f = fixture(series, [
      [1, 1000, 1],
      [9, 1000, 2],
      [2, 1000, 3],
    ]);
    const { inline, raw } = encode(f);
    assert.equal(inline.dropped, 1);
    assert.equal(inline.samples, 2);
    assert.equal(decodeWithProtobufjs(raw).length, 2);
  });

  test('random requests over 64 KiB (4-byte copy offsets, long literals) round-trip', () => {
    const random = new Random(20240611);
    const all: Labels[] = [];
    for (let i = 0; i < 400; i++) {
      const record: Record<string, string> = {
        __name__: `metric_${random.int(20)}`,
        job: `job-${random.int(3)}`,
        instance: `host-${random.int(50)}:9100`,
      };
      for (let k = 0; k < random.int(6); k++) {
        record[`l${random.int(9)}`] = 'v'.repeat(random.int(400)) + String(random.int(5));
      }
      all.push(labelsFromRecord(record));
    }
    for (let round = 0; round < 20; round++) {
      const samples: [number, number, number | 'stale'][] = [];
      const count = 1 + random.int(3000);
      for (let i = 0; i < count; i++) {
        const id = 1 + random.int(all.length);
        const value = random.chance(0.05) ? 'stale' : (random.next() - 0.5) * 10 ** random.int(30);
        samples.push([id, 1_700_000_000_000 + random.int(100_000), value]);
        if (random.chance(0.2)) samples.push([id, 1_700_000_200_000 + i, i]);
      }
      const f = fixture(all, samples);
      const { inlineBody, raw } = encode(f);
      assert.deepEqual(specUncompress(inlineBody), raw, `round ${round}`);
      assert.deepEqual(decodeWithProtobufjs(raw), expected(f, 0, samples.length));
      assert.deepEqual(rawSampleValues(raw), columnValueHex(f, 0, samples.length));
      // Never larger than the uncompressed request, give or take literal tags.
      assert.ok(inlineBody.length < raw.length * 1.02 + 16, `round ${round}`);
    }
  });

  test('an encoder reused across requests starts each one afresh', () => {
    const f = fixture(series, [
      [1, 1000, 1],
      [2, 1000, 2],
      [1, 2000, 3],
      [2, 2000, 4],
    ]);
    const encoder = new SnappyWriteRequestEncoder();
    const first = Buffer.from(encoder.encode(f.cache, f.columns, 0, 2).body);
    const second = Buffer.from(encoder.encode(f.cache, f.columns, 2, 4).body);
    assert.deepEqual(decodeWithProtobufjs(uncompress(first)), expected(f, 0, 2));
    assert.deepEqual(decodeWithProtobufjs(specUncompress(second)), expected(f, 2, 4));
  });

  test('an encoder keeps its copies right across the 32-bit wrap of its request counter', () => {
    const f = fixture(series, [
      [1, 1000, 1],
      [4, 1000, 2],
    ]);
    const encoder = new SnappyWriteRequestEncoder();
    // Reaching the wrap by sending 2^32 requests is not a unit test; the counter is set instead.
    (encoder as unknown as { gen: number }).gen = 0xffffffff - 1;
    for (let round = 0; round < 4; round++) {
      const body = Buffer.from(encoder.encode(f.cache, f.columns, 0, 2).body);
      assert.deepEqual(decodeWithProtobufjs(specUncompress(body)), expected(f, 0, 2));
    }
  });

  test('forgotten series free their labels and are looked up again', () => {
    const table = new SeriesTable();
    const cache = new LabelCache((id) => table.get(id)?.labels);
    for (let i = 0; i < 20_000; i++) {
      const s = table.create(
        labelsFromRecord({ __name__: 'm', pod: `pod-${i}`, big: 'z'.repeat(80) }),
      );
      assert.ok(cache.keep(s.id));
    }
    const before = cache.memory();
    for (let id = 1; id < 19_000; id++) {
      cache.forget(id);
      table.delete(id);
    }
    assert.ok(cache.memory().pairs < before.pairs / 10);
    assert.equal(cache.keep(5), false, 'gone from the table');
    const f = fixture([], []);
    const columns = f.columns;
    columns.reserve(2);
    columns.ids[0] = 19_500;
    columns.timestamps[0] = 1;
    columns.ids[1] = 20_000;
    columns.timestamps[1] = 2;
    columns.tail = 2;
    const body = new SnappyWriteRequestEncoder().encode(cache, columns, 0, 2).body;
    const decoded = decodeWithProtobufjs(uncompress(body));
    assert.deepEqual(
      decoded.map((s) => s.labels.find((l) => l.name === 'pod')?.value),
      ['pod-19499', 'pod-19999'],
    );
  });
});
