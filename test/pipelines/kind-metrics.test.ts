import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { PipelineCounters } from '../../src/pipelines/kind-metrics.js';
import { parseExposition } from './metrics/exposition.js';

interface FakePipeline {
  readonly name: string;
  sent: Record<string, number>;
}

function setup(): {
  running: FakePipeline[];
  counters: PipelineCounters<FakePipeline>;
  read: () => Promise<(labels?: Record<string, string>) => number | undefined>;
} {
  const registry = new Registry();
  const running: FakePipeline[] = [];
  const counters = new PipelineCounters<FakePipeline>(registry, () => running);
  counters.counter('test_sent_total', 'Things sent.', ['remote_name'], (p, emit) => {
    for (const [remote, n] of Object.entries(p.sent)) emit({ remote_name: remote }, n);
  });
  const read = async (): Promise<(labels?: Record<string, string>) => number | undefined> => {
    const text = await registry.metrics();
    const parsed = parseExposition(text);
    assert.equal(parsed.families.get('test_sent_total')?.type, 'counter');
    return (labels = {}) => parsed.value('test_sent_total', labels);
  };
  return { running, counters, read };
}

test('a counter sums the running pipelines per label set', async () => {
  const { running, read } = setup();
  running.push({ name: 'a', sent: { rx: 5, ry: 1 } }, { name: 'b', sent: { rx: 2 } });
  const value = await read();
  assert.equal(value({ remote_name: 'rx' }), 7);
  assert.equal(value({ remote_name: 'ry' }), 1);
});

test('a retired pipeline is counted once while still listed, and its counts stay after it is gone', async () => {
  const { running, counters, read } = setup();
  const old: FakePipeline = { name: 'a', sent: { rx: 40 } };
  running.push(old);
  assert.equal((await read())({ remote_name: 'rx' }), 40);

  // The agent retires it once stopped; it is listed until its successor starts.
  counters.retire(old);
  old.sent.rx = 1000; // a stopped pipeline's stats are no longer read
  assert.equal((await read())({ remote_name: 'rx' }), 40);
  counters.retire(old);
  assert.equal((await read())({ remote_name: 'rx' }), 40, 'a second retire is ignored');

  running.splice(0, 1, { name: 'a', sent: { rx: 3 } });
  assert.equal((await read())({ remote_name: 'rx' }), 43, 'the successor adds to it');
  running.length = 0;
  assert.equal((await read())({ remote_name: 'rx' }), 40, 'kept with no pipeline running');
});

test('a reading that is not a count (NaN, negative) adds nothing', async () => {
  const { running, read } = setup();
  running.push({ name: 'a', sent: { rx: Number.NaN, ry: -4, rz: 2 } });
  const value = await read();
  assert.equal(value({ remote_name: 'rx' }), 0);
  assert.equal(value({ remote_name: 'ry' }), 0);
  assert.equal(value({ remote_name: 'rz' }), 2);
});
