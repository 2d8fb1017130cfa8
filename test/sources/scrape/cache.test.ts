import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScrapeCache } from '../../../src/sources/scrape/cache.js';

test('scrape cache: a series found at its remembered position, moved, or gone and its slot reused', () => {
  const cache = new ScrapeCache();
  const a = cache.add('a{x="1"}', 11, 1);
  const b = cache.add('b{x="2"}', 12, 1);
  cache.remember(0, a);
  cache.remember(1, b);
  // Same order as last time.
  assert.equal(cache.slotAt(0, 'a{x="1"}'), a);
  assert.equal(cache.slotAt(1, 'b{x="2"}'), b);
  // Swapped: found through the map, and the new order is remembered.
  assert.equal(cache.slotAt(0, 'b{x="2"}'), b);
  assert.equal(cache.slotAt(1, 'a{x="1"}'), a);
  assert.equal(cache.slotAt(0, 'b{x="2"}'), b);
  // b disappears; its slot goes to a new series while position 0 still names b.
  cache.seen[a] = 2;
  const gone: number[] = [];
  cache.sweep(
    (slot) => cache.seen[slot] === 2,
    (id) => gone.push(id),
  );
  assert.deepEqual(gone, [12]);
  const c = cache.add('c{x="3"}', 13, 3);
  assert.equal(c, b, 'the freed slot is reused');
  assert.equal(cache.slotAt(0, 'b{x="2"}'), -1, 'a stale position never names the new tenant');
  assert.equal(cache.slotAt(5, 'c{x="3"}'), c);
  assert.equal(cache.ids[c], 13);
  cache.clear();
  assert.equal(cache.slotAt(1, 'a{x="1"}'), -1);
  assert.equal(cache.size, 0);
});
