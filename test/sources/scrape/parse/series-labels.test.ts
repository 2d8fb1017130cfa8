/** parseSeriesLabels: the labels the scrape cache keeps for a new series. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Label } from '../../../../src/model/labels.js';
import { parseSeriesLabels } from '../../../../src/sources/scrape/parse/index.js';

const l = (name: string, value: string): Label => ({ name, value });

test('name only', () => {
  assert.deepEqual(parseSeriesLabels('up'), [l('__name__', 'up')]);
  assert.deepEqual(parseSeriesLabels('a:b_c9'), [l('__name__', 'a:b_c9')]);
});

test('labels sorted by name, __name__ among them, empty values dropped', () => {
  assert.deepEqual(parseSeriesLabels('m{z="1",b="2",A="3",_x="4",e=""}'), [
    l('A', '3'),
    l('__name__', 'm'),
    l('_x', '4'),
    l('b', '2'),
    l('z', '1'),
  ]);
});

test('escapes: \\\\ \\" \\n resolved, any other backslash kept', () => {
  assert.deepEqual(
    parseSeriesLabels('m{a="x\\\\y",b="say \\"hi\\"",c="1\\n2",d="C:\\\\dir\\\\",e="\\t\\x"}'),
    [
      l('__name__', 'm'),
      l('a', 'x\\y'),
      l('b', 'say "hi"'),
      l('c', '1\n2'),
      l('d', 'C:\\dir\\'),
      l('e', '\\t\\x'),
    ],
  );
  // Left to right: an escaped backslash before n is not a newline.
  assert.deepEqual(parseSeriesLabels('m{a="\\\\n"}'), [l('__name__', 'm'), l('a', '\\n')]);
});

test('every spelling the text format allows gives the same labels', () => {
  const expected = [l('__name__', 'm'), l('a', 'b'), l('c', 'd')];
  for (const text of [
    'm{a="b",c="d"}',
    'm{a="b",c="d",}',
    'm { a = "b" , c = "d" , }',
    'm{a="b" c="d"}',
    'm\t{\ta="b"\tc="d"\t}',
  ]) {
    assert.deepEqual(parseSeriesLabels(text), expected, text);
  }
});

test('values keep what the format allows in them', () => {
  assert.deepEqual(parseSeriesLabels('m{a="} # {x=\\"y\\"} 1",b="Heizölrückstoß €",c="\x00"}'), [
    l('__name__', 'm'),
    l('a', '} # {x="y"} 1'),
    l('b', 'Heizölrückstoß €'),
    l('c', '\x00'),
  ]);
});

test('empty braces and a name with no labels left', () => {
  assert.deepEqual(parseSeriesLabels('m{}'), [l('__name__', 'm')]);
  assert.deepEqual(parseSeriesLabels('m{a=""}'), [l('__name__', 'm')]);
});
