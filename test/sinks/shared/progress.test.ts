import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressTracker } from '../../../src/sinks/shared/progress.js';

test('progress reports the newest call with everything before it finished', () => {
  const p = new ProgressTracker<string>((a, b) => a.localeCompare(b));
  const a = p.open('a');
  p.add(a, 2);
  const b = p.open('b');
  p.add(b, 1);
  const c = p.open('c');
  p.add(c, 0);
  assert.equal(p.advance(), undefined);
  p.finish(b, 1);
  assert.equal(p.advance(), undefined, 'b is done but a is not');
  p.finish(a, 1);
  assert.equal(p.advance(), undefined);
  p.finish(a, 1);
  assert.equal(p.advance(), 'c', 'a, b and the empty c are all done');
  assert.equal(p.unfinishedCalls, 0);
  assert.equal(p.advance(), undefined, 'reported once');
});

test('progress never reports a token not after the last one', () => {
  const p = new ProgressTracker<number>((a, b) => a - b);
  p.open(5);
  assert.equal(p.advance(), 5);
  p.open(3);
  assert.equal(p.advance(), undefined);
  p.open(7);
  assert.equal(p.advance(), 7);
});

test('progress keeps its arrays short over many calls', () => {
  const p = new ProgressTracker<number>((a, b) => a - b);
  for (let i = 0; i < 100_000; i++) {
    const seq = p.open(i);
    p.add(seq, 1);
    p.finish(seq, 1);
    assert.equal(p.advance(), i);
  }
  assert.equal(p.unfinishedCalls, 0);
});

test('sequence numbers wrap at 2^32 without confusing calls', () => {
  const p = new ProgressTracker<number>((a, b) => a - b, 2 ** 32 - 2);
  const seqs = [1, 2, 3, 4].map((token) => {
    const seq = p.open(token);
    p.add(seq, 1);
    return seq;
  });
  assert.deepEqual(seqs, [2 ** 32 - 2, 2 ** 32 - 1, 0, 1]);
  p.finish(seqs[2]!, 1);
  p.finish(seqs[3]!, 1);
  assert.equal(p.advance(), undefined);
  p.finish(seqs[0]!, 1);
  assert.equal(p.advance(), 1);
  p.finish(seqs[1]!, 1);
  assert.equal(p.advance(), 4);
});
