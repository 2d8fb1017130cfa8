/**
 * Settling: a position moves only over a contiguous run of settled lines,
 * whatever order they settle in; generations (rename rotation, truncation)
 * keep the older file's place until its lines are safe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileSettle, SettleLedger } from '../../../src/sources/tail/settle.js';
import type { FileIdentity, ReadLine } from '../../../src/sources/tail/tailer-contract.js';

const A: FileIdentity = { dev: 1, ino: 100 };
const B: FileIdentity = { dev: 1, ino: 200 };

/** Lines of `length` bytes each from `start`. */
function lines(
  start: number,
  count: number,
  length = 10,
  generation = 0,
  identity = A,
): ReadLine[] {
  return Array.from({ length: count }, (_, i) => ({
    line: 'x'.repeat(length - 1),
    start: start + i * length,
    end: start + (i + 1) * length,
    generation,
    identity,
  }));
}

test('the position is the end of the contiguous settled run from the oldest line, in any settle order', () => {
  const ledger = new SettleLedger();
  const file = new FileSettle('/a.log', { offset: 50, identity: A }, ledger);
  assert.deepEqual(file.position(0, A), { offset: 50, identity: A }, 'nothing read: the start');
  const first = file.track(lines(50, 3)); // ends 60, 70, 80
  const second = file.track(lines(80, 2)); // ends 90, 100
  assert.equal(second, first + 3, 'tokens are consecutive across batches');

  ledger.settle(first + 2);
  ledger.settle(second + 1);
  assert.equal(file.position(0, A).offset, 50, 'the oldest line is not settled');
  ledger.settle(first);
  assert.equal(file.position(0, A).offset, 60);
  ledger.settle(first + 1);
  assert.equal(file.position(0, A).offset, 80, 'runs over the line settled earlier');
  ledger.settle(first + 1); // twice: ignored
  ledger.settle(999_999); // unknown: ignored
  ledger.settle(second);
  assert.deepEqual(file.position(0, A), { offset: 100, identity: A });
  assert.equal(file.unsettledLines, 0);
  assert.equal(ledger.unsettledLines, 0);
});

test('files settle independently with tokens from one ledger', () => {
  const ledger = new SettleLedger();
  const a = new FileSettle('/a.log', { offset: 0, identity: A }, ledger);
  const b = new FileSettle('/b.log', { offset: 0, identity: B }, ledger);
  const ta = a.track(lines(0, 2));
  const tb = b.track(lines(0, 2, 10, 0, B));
  ledger.settle(tb);
  ledger.settle(tb + 1);
  assert.equal(b.position(0, B).offset, 20);
  assert.equal(a.position(0, A).offset, 0);
  ledger.settle(ta + 1);
  ledger.settle(ta);
  assert.equal(a.position(0, A).offset, 20);
});

test('after a rename rotation, unsettled lines of the old file record 0 of the new one until they settle', () => {
  const ledger = new SettleLedger();
  const file = new FileSettle('/a.log', { offset: 0, identity: A }, ledger);
  const old = file.track(lines(0, 3)); // A: ends 10, 20, 30
  ledger.settle(old);
  assert.deepEqual(file.position(0, A), { offset: 10, identity: A });
  const fresh = file.track(lines(0, 2, 10, 1, B)); // B (generation 1): ends 10, 20
  ledger.settle(fresh);
  ledger.settle(fresh + 1);
  assert.deepEqual(
    file.position(1, B),
    { offset: 0, identity: B },
    'a restart reads the new file from 0: its lines may be sent again, none is skipped',
  );
  assert.equal(
    file.lag(20, 1),
    20 + 20,
    'the old file’s 20 bytes unsettled plus the 20 read of the new one',
  );
  ledger.settle(old + 2);
  assert.equal(file.position(1, B).offset, 0, 'still a gap in the old file');
  ledger.settle(old + 1);
  assert.deepEqual(
    file.position(1, B),
    { offset: 20, identity: B },
    'the new file’s own settled run',
  );
  assert.equal(file.lag(20, 1), 0);
});

test('after a truncation, unsettled lines of the old content record offset 0 (the new content is never skipped)', () => {
  const ledger = new SettleLedger();
  const file = new FileSettle('/a.log', { offset: 0, identity: A }, ledger);
  const old = file.track(lines(0, 5)); // up to 50
  ledger.settle(old);
  const fresh = file.track(lines(0, 4, 10, 1, A)); // same identity, generation 1: truncated
  for (let i = 0; i < 4; i++) ledger.settle(fresh + i);
  assert.deepEqual(file.position(1, A), { offset: 0, identity: A });
  for (let i = 1; i < 5; i++) ledger.settle(old + i);
  assert.deepEqual(file.position(1, A), { offset: 40, identity: A });
});

test('a tailer that moved to a new generation before reading any line of it records 0 of the new file', () => {
  const ledger = new SettleLedger();
  const file = new FileSettle('/a.log', { offset: 0, identity: A }, ledger);
  const old = file.track(lines(0, 2));
  ledger.settle(old);
  assert.deepEqual(file.position(0, A), { offset: 10, identity: A });
  assert.deepEqual(file.position(1, B), { offset: 0, identity: B }, 'old line unsettled');
  ledger.settle(old + 1);
  assert.deepEqual(
    file.position(1, B),
    { offset: 0, identity: B },
    'all settled, nothing read of B yet',
  );
  assert.deepEqual(
    file.position(1, A),
    { offset: 0, identity: A },
    'truncated, nothing read since',
  );
});

test('one batch spanning two generations is split', () => {
  const ledger = new SettleLedger();
  const file = new FileSettle('/a.log', { offset: 0, identity: A }, ledger);
  const token = file.track([...lines(0, 2), ...lines(0, 2, 10, 1, B)]);
  for (let i = 0; i < 4; i++) ledger.settle(token + i);
  assert.deepEqual(file.position(1, B), { offset: 20, identity: B });
});

test('a closed file holds nothing back and ignores late settles', () => {
  const ledger = new SettleLedger();
  const a = new FileSettle('/a.log', { offset: 0, identity: A }, ledger);
  const b = new FileSettle('/b.log', { offset: 0, identity: B }, ledger);
  const ta = a.track(lines(0, 3));
  const tb = b.track(lines(0, 1, 10, 0, B));
  a.close();
  ledger.settle(ta);
  ledger.settle(tb);
  assert.equal(ledger.unsettledLines, 0);
  assert.equal(b.position(0, B).offset, 10);
});

test('100k lines settled in shuffled batches end at the last line, cheaply', () => {
  const ledger = new SettleLedger();
  const file = new FileSettle('/big.log', { offset: 0, identity: A }, ledger);
  const tokens: number[] = [];
  const total = 100_000;
  const started = process.hrtime.bigint();
  for (let start = 0; start < total; start += 500) tokens.push(file.track(lines(start * 10, 500)));
  // Settle batch by batch in reverse, lines of each batch in reverse: the worst order for the run.
  for (let b = tokens.length - 1; b >= 0; b--)
    for (let i = 499; i >= 0; i--) ledger.settle(tokens[b]! + i);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(file.position(0, A).offset, total * 10);
  assert.equal(ledger.unsettledLines, 0);
  // Not a timing test: a bound far above the few milliseconds it takes, to catch quadratic work.
  assert.ok(ms < 2000, `${ms} ms for ${total} lines`);
});

test('a line never settled holds back only its own file, and the ledger does not grow behind it', () => {
  const ledger = new SettleLedger();
  const stuck = new FileSettle('/stuck.log', { offset: 0, identity: A }, ledger);
  const busy = new FileSettle('/busy.log', { offset: 0, identity: B }, ledger);
  const lost = stuck.track(lines(0, 2));
  ledger.settle(lost + 1); // the first line is never settled
  for (let b = 0; b < 5000; b++) {
    const token = busy.track(lines(b * 10, 1, 10, 0, B));
    ledger.settle(token);
  }
  assert.equal(busy.position(0, B).offset, 50_000);
  assert.equal(stuck.position(0, A).offset, 0);
  assert.ok(ledger.heldBatches < 2100, `${ledger.heldBatches} batches held`);
  ledger.settle(lost);
  assert.equal(stuck.position(0, A).offset, 20);
  assert.equal(ledger.heldBatches, 0);
});
