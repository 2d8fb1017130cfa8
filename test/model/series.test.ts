import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { labelsFromKey, labelsKey, normalizeLabels, type Label } from '../../src/model/labels.js';
import { SeriesTable } from '../../src/model/series.js';

const set = (...pairs: [string, string][]): Label[] =>
  normalizeLabels(pairs.map(([name, value]) => ({ name, value })));

describe('label set keys', () => {
  test('decode to the labels they were made of, whatever the values hold', () => {
    const cases = [
      set(['__name__', 'up'], ['job', 'node']),
      set(['__name__', 'x'], ['a', 'ÿ\xff\u00ff}'], ['b', '雪 ☃ 🙂']),
      set(['__name__', 'long'], ['v', 'y'.repeat(127)], ['w', 'z'.repeat(128)]),
      set(['__name__', 'huge'], ['v', 'q'.repeat(70_000)]),
      [],
    ];
    for (const labels of cases) assert.deepEqual(labelsFromKey(labelsKey(labels)), labels);
  });

  test('differ whenever the label sets differ, even where a separator could be faked', () => {
    // With a bare `\xff` between name and value, these two would share a key.
    const one = set(['a', 'x\xffb\xffy']);
    const two = set(['a', 'x'], ['b', 'y']);
    assert.notEqual(labelsKey(one), labelsKey(two));
    assert.notEqual(labelsKey(set(['a', ''])), labelsKey(set(['a', '\x00'])));
  });

  test('stay one byte per char for Latin-1 labels (V8 then stores them compactly)', () => {
    const key = labelsKey(set(['__name__', 'm'], ['v', 'x'.repeat(300)]));
    assert.ok([...key].every((c) => c.charCodeAt(0) < 0x100));
  });
});

describe('series table', () => {
  test('finds a series by labels, gives its labels back, and forgets it on delete', () => {
    const table = new SeriesTable();
    const a = table.create(set(['__name__', 'a'], ['job', 'j']));
    const b = table.add(labelsKey(set(['__name__', 'b'])));
    assert.equal(table.idOf(labelsKey(set(['__name__', 'a'], ['job', 'j']))), a.id);
    assert.deepEqual(table.labels(b), set(['__name__', 'b']));
    assert.deepEqual(table.get(a.id), a);
    assert.deepEqual([...table.liveIds()], [a.id, b]);
    table.delete(a.id);
    assert.equal(table.get(a.id), undefined);
    assert.equal(table.idOf(labelsKey(a.labels)), undefined);
    assert.equal(table.size, 1);
  });

  test('restores ids from the WAL and numbers new series after the highest', () => {
    const table = new SeriesTable();
    table.restore(7, set(['__name__', 'seven']));
    table.restore(3, set(['__name__', 'three']));
    assert.equal(table.nextId, 8);
    assert.equal(table.idOf(labelsKey(set(['__name__', 'three']))), 3);
    assert.equal(table.create(set(['__name__', 'new'])).id, 8);
  });
});
