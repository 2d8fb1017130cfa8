import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EwmaRate,
  desiredShards,
  type ShardInputs,
} from '../../../src/sinks/remote-write/desired-shards.js';

const base: ShardInputs = {
  current: 1,
  minShards: 1,
  maxShards: 50,
  inRate: 10_000,
  outRate: 10_000,
  droppedRate: 0,
  // 20 ms per request of 100 samples: 0.2 ms per sample.
  sendSecondsRate: 2,
  delaySeconds: 0,
};

test('desired shards: time per sample × incoming rate, plus 5% of the backlog', () => {
  assert.deepEqual(desiredShards(base), { desired: 2, shards: 2 });
  const behind = desiredShards({ ...base, delaySeconds: 20 });
  // 0.0002 s/sample × (10,000 + 0.05 × 20 s × 10,000) = 4
  assert.ok(Math.abs(behind.desired - 4) < 1e-9);
  assert.equal(behind.shards, 4);
});

test('desired shards: changes within 30% are ignored (after rounding up)', () => {
  assert.equal(desiredShards({ ...base, current: 10, inRate: 60_000 }).shards, 10);
  assert.equal(desiredShards({ ...base, current: 10, inRate: 40_000 }).shards, 10);
  assert.equal(desiredShards({ ...base, current: 10, inRate: 66_000 }).shards, 14);
  assert.equal(desiredShards({ ...base, current: 10, inRate: 20_000 }).shards, 4);
  assert.equal(desiredShards({ ...base, current: 2, inRate: 11_000 }).shards, 3);
});

test('desired shards: clamped, no downsharding while far behind, unchanged with nothing sent', () => {
  assert.equal(desiredShards({ ...base, inRate: 1e9 }).shards, 50);
  assert.equal(desiredShards({ ...base, current: 8, inRate: 10, minShards: 3 }).shards, 3);
  assert.equal(desiredShards({ ...base, current: 8, inRate: 10, delaySeconds: 11 }).shards, 8);
  assert.equal(desiredShards({ ...base, current: 5, outRate: 0 }).shards, 5);
});

test('desired shards: samples dropped before sending do not count as work', () => {
  // Half of what arrives is dropped by relabeling: half the shards.
  const d = desiredShards({ ...base, current: 10, inRate: 40_000, droppedRate: 10_000 });
  assert.equal(d.shards, 4);
});

test('EWMA rates start at the first non-empty interval, then move 20% of the way', () => {
  const rate = new EwmaRate();
  rate.tick(1);
  assert.equal(rate.rate, 0);
  rate.add(100);
  rate.tick(1);
  assert.equal(rate.rate, 100);
  rate.add(200);
  rate.tick(1);
  assert.equal(rate.rate, 120);
  rate.tick(2);
  assert.equal(rate.rate, 96);
});
