import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextScrapeAt } from '../../../src/sources/scrape/loop.js';

test('scrape schedule: a late timer does not move the grid; missed ticks are skipped', () => {
  // Due at 1000, fired at 1040 (a busy event loop): the next is still 1100, not 1140.
  assert.equal(nextScrapeAt(1000, 100, 1040), 1100);
  assert.equal(nextScrapeAt(1000, 100, 1000), 1100);
  // A scrape that ran past the next tick: that tick is skipped, the grid kept.
  assert.equal(nextScrapeAt(1000, 100, 1100), 1200);
  assert.equal(nextScrapeAt(1000, 100, 1350), 1400);
});
