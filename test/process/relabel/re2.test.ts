// RE2 → JavaScript: each construct, what it matches and what it must not,
// under Prometheus's anchoring `^(?:…)$` (or `^(?s:…)$` for Prometheus 3).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Re2Regex,
  Re2SyntaxError,
  Re2UnsupportedError,
} from '../../../src/process/relabel/re2/index.js';

const anchored = (re: string, dotAll = false): Re2Regex =>
  new Re2Regex(`^(?${dotAll ? 's' : ''}:${re})$`);

interface Row {
  readonly re: string;
  readonly match: readonly string[];
  readonly noMatch: readonly string[];
  readonly dotAll?: boolean;
}

const rows: Row[] = [
  { re: 'foo', match: ['foo'], noMatch: ['foobar', 'xfoo', 'FOO'] },
  { re: 'a|b', match: ['a', 'b'], noMatch: ['ab', ''] },
  { re: '.*', match: ['', 'a\rb', 'x\u2028y'], noMatch: ['a\nb'] },
  { re: '.*', match: ['a\nb'], noMatch: [], dotAll: true },
  { re: '(?s).', match: ['\n'], noMatch: [] },
  { re: '(?s:.)x.', match: ['\nxy'], noMatch: ['\nx\n'] },
  { re: '[^a]', match: ['\n', 'b'], noMatch: ['a'] },
  // Named groups, RE2's two spellings.
  { re: '(?P<x>a)(?<y>b)', match: ['ab'], noMatch: ['a'] },
  // \z and \A are text boundaries; $ is end of text (not before a final \n).
  { re: 'a\\z', match: ['a'], noMatch: ['a\n'] },
  { re: '\\Aa', match: ['a'], noMatch: [] },
  { re: 'a$', match: ['a'], noMatch: ['a\n'] },
  // (?m): ^ and $ at \n only, not at \r or U+2028 as JavaScript's m flag would.
  { re: '(?m)a$\\nb', match: ['a\nb'], noMatch: [] },
  { re: '(?m)a$.*', match: [], noMatch: ['a\rb', 'a\u2028b'], dotAll: true },
  { re: '(?m)(?s:.*)^b', match: ['x\nb'], noMatch: ['x\rb'] },
  // Case-insensitivity: whole pattern, scoped, and switched off again.
  { re: '(?i)foo', match: ['FoO', 'foo'], noMatch: ['fo'] },
  { re: 'foo(?i)bar', match: ['fooBAR'], noMatch: ['FOObar'] },
  { re: 'a(?i:b)c', match: ['aBc', 'abc'], noMatch: ['ABc', 'aBC'] },
  { re: '(?i)a(?-i)b', match: ['Ab'], noMatch: ['AB'] },
  { re: '(?i:k)', match: ['k', 'K', '\u212a'], noMatch: [] },
  { re: 'x(?i:[a-c])', match: ['xB', 'xc'], noMatch: ['xd', 'XB'] },
  { re: 'x(?i:s)', match: ['x\u017f'], noMatch: [] },
  { re: '(?i)[^a]', match: ['b'], noMatch: ['a', 'A'] },
  // Go folds a negated class before negating it: (?i)[\W] excludes letters of both cases.
  { re: '(?i)[\\W]', match: ['-'], noMatch: ['a', 'A', '\u017f', '\u212a'] },
  { re: '(?i)[[:^upper:]]', match: ['1'], noMatch: ['a', 'A'] },
  { re: '(?i)İ', match: ['İ'], noMatch: ['i', 'I'] },
  // \Q…\E quotes everything.
  { re: '\\Qa.b*\\E', match: ['a.b*'], noMatch: ['axb', 'a.bb'] },
  { re: '\\Qab\\E+', match: ['abbb'], noMatch: ['abab'] },
  // POSIX classes inside brackets.
  { re: '[[:alpha:]]+', match: ['abcXYZ'], noMatch: ['a1', 'é'] },
  { re: '[[:^alpha:]]', match: ['1', 'é'], noMatch: ['a'] },
  { re: '[[:digit:][:upper:]]+', match: ['A1'], noMatch: ['a'] },
  { re: '[[:space:]]', match: ['\v', ' '], noMatch: ['\u00a0'] },
  { re: '[[:punct:]]', match: ['!', '`', '~'], noMatch: ['a'] },
  { re: '[[:word:]]', match: ['_'], noMatch: ['-'] },
  { re: '[[:xdigit:]]+', match: ['09afAF'], noMatch: ['g'] },
  { re: '[:alpha:]', match: [':', 'a', 'h'], noMatch: ['b'] },
  // Perl classes are ASCII in RE2.
  { re: '\\d', match: ['7'], noMatch: ['٣'] },
  { re: '\\w+', match: ['a_Z9'], noMatch: ['é'] },
  { re: '\\s', match: ['\t', '\n', '\f', '\r', ' '], noMatch: ['\v', '\u00a0', '\u2003'] },
  { re: '\\S', match: ['\v', 'a'], noMatch: [' '] },
  { re: '[\\d-z]+', match: ['1-z'], noMatch: ['y'] },
  // Unicode classes.
  { re: '\\pL+', match: ['aé日'], noMatch: ['1'] },
  { re: '\\p{Greek}+', match: ['αβγ'], noMatch: ['a'] },
  { re: '\\PN', match: ['a'], noMatch: ['5'] },
  { re: '\\p{^Greek}', match: ['a'], noMatch: ['α'] },
  { re: '\\P{^Greek}', match: ['α'], noMatch: ['a'] },
  { re: '[\\p{Lu}\\d]+', match: ['A1É'], noMatch: ['a'] },
  { re: '\\p{Any}', match: ['\n', '😀'], noMatch: [] },
  { re: '\\pC', match: ['\u0007'], noMatch: ['\u0378'] },
  { re: '\\PC', match: ['a', '\u0378'], noMatch: ['\u0007'] },
  { re: '(?i)\\p{Lu}', match: ['A', 'a'], noMatch: ['1'] },
  // Escapes.
  { re: '\\x41\\x{42}\\103', match: ['ABC'], noMatch: [] },
  { re: '\\12', match: ['\n'], noMatch: [] },
  { re: '\\0', match: ['\0'], noMatch: ['0'] },
  { re: '\\a\\f\\t\\v', match: ['\u0007\f\t\v'], noMatch: [] },
  { re: '\\.\\-\\_\\:\\"\\<', match: ['.-_:"<'], noMatch: [] },
  { re: '\\x{1F600}', match: ['😀'], noMatch: [] },
  { re: '.', match: ['😀'], noMatch: ['😀😀'] },
  // Literal braces and brackets where they are not syntax.
  { re: 'a{,3}', match: ['a{,3}'], noMatch: ['aaa'] },
  { re: 'a{', match: ['a{'], noMatch: [] },
  { re: 'a{01}', match: ['a{01}'], noMatch: ['a'] },
  { re: ']}', match: [']}'], noMatch: [] },
  { re: '[]a]', match: [']', 'a'], noMatch: ['b'] },
  { re: '[^]a]', match: ['b'], noMatch: [']', 'a'] },
  { re: '[a-]', match: ['-'], noMatch: ['b'] },
  // Repetition.
  { re: 'a{2,3}', match: ['aa', 'aaa'], noMatch: ['a', 'aaaa'] },
  { re: 'a{2,}', match: ['aaaaa'], noMatch: ['a'] },
  { re: 'a{0}b', match: ['b'], noMatch: ['ab'] },
  { re: '^*a', match: ['a'], noMatch: [] },
  { re: 'a(?i)*', match: ['aaa', ''], noMatch: [] },
  { re: '(?:a*)*', match: ['aaa'], noMatch: ['b'] },
  { re: 'a\\b', match: ['a'], noMatch: [] },
  { re: 'a\\Bb', match: ['ab'], noMatch: [] },
  { re: '(?:)', match: [''], noMatch: ['a'] },
  { re: '', match: [''], noMatch: ['a'] },
  { re: '(?)a', match: ['a'], noMatch: [] },
  { re: '\\_', match: ['_'], noMatch: [] },
];

describe('what each construct matches', () => {
  for (const row of rows) {
    test(`${row.re}${row.dotAll ? ' (dotAll)' : ''}`, () => {
      const re = anchored(row.re, row.dotAll);
      for (const s of row.match)
        assert.ok(re.test(s), `${row.re} should match ${JSON.stringify(s)}`);
      for (const s of row.noMatch)
        assert.ok(!re.test(s), `${row.re} should not match ${JSON.stringify(s)}`);
    });
  }
});

describe('groups and greediness', () => {
  const groups = (re: string, s: string): (string | undefined)[] => [
    ...(anchored(re).exec(s) ?? []),
  ];

  test('capture numbering follows the open parens, named or not', () => {
    assert.deepEqual(groups('(a)(?P<n>b)(?:c)(d)', 'abcd'), ['abcd', 'a', 'b', 'd']);
    const re = anchored('(a)(?P<n>b)(?<m>c)(?P<1x>d)');
    assert.equal(re.groupCount, 4);
    assert.deepEqual(
      [...re.groupNames],
      [
        ['n', [2]],
        ['m', [3]],
        ['1x', [4]],
      ],
    );
  });

  test('a name may repeat (Go allows it)', () => {
    assert.deepEqual(anchored('(?P<a>x)|(?P<a>y)').groupNames.get('a'), [1, 2]);
  });

  test('leftmost-first alternation, greedy by default', () => {
    assert.deepEqual(groups('(a|ab)(c|bcd)(d*)', 'abcd'), ['abcd', 'a', 'bcd', '']);
    assert.deepEqual(groups('(.*)(\\d+)', 'ab123'), ['ab123', 'ab12', '3']);
  });

  test('lazy repetition, and (?U) swapping greedy and lazy', () => {
    assert.deepEqual(groups('(.*?)(\\d+)', 'ab123'), ['ab123', 'ab', '123']);
    assert.deepEqual(groups('(?U)(.*)(\\d+)', 'ab123'), ['ab123', 'ab', '123']);
    assert.deepEqual(groups('(?U)(.*?)(\\d+)', 'ab123'), ['ab123', 'ab12', '3']);
  });

  test('a pattern that closes the anchoring group matches unanchored, as in Prometheus', () => {
    const re = anchored('a)|(b');
    assert.ok(re.test('xb'));
    assert.ok(re.test('ay'));
    assert.equal(re.groupCount, 1);
  });
});

interface ErrorRow {
  readonly re: string;
  readonly error: RegExp;
}

const rejected: ErrorRow[] = [
  { re: '(?=a)', error: /unsupported Perl syntax: `\(\?=`.*lookahead/ },
  { re: '(?!a)', error: /negative lookahead/ },
  { re: '(?<=a)', error: /invalid named capture.*lookbehind/ },
  { re: '(?<!a)', error: /negative lookbehind/ },
  { re: '(?>a)', error: /atomic groups/ },
  { re: '(?#c)', error: /comments/ },
  { re: '(a)\\1', error: /invalid escape sequence: `\\1`.*backreferences/ },
  { re: '\\8', error: /invalid escape sequence: `\\8`/ },
  { re: '(?P<n>a)(?P=n)', error: /named backreferences/ },
  { re: '\\k<n>', error: /invalid escape sequence: `\\k`/ },
  { re: '\\C', error: /invalid escape sequence: `\\C`/ },
  { re: '\\Z', error: /invalid escape sequence.*use \\z/ },
  { re: '\\u0041', error: /\\x\{XXXX\}/ },
  { re: '\\e', error: /invalid escape sequence/ },
  { re: 'a**', error: /invalid nested repetition operator: `\*\*`/ },
  { re: 'a*+', error: /invalid nested repetition operator: `\*\+`/ },
  { re: 'a++', error: /invalid nested repetition operator/ },
  { re: 'a{2}{3}', error: /invalid nested repetition operator/ },
  { re: '*a', error: /missing argument to repetition operator: `\*`/ },
  { re: 'a|*', error: /missing argument to repetition operator/ },
  { re: '(?i)*', error: /missing argument to repetition operator/ },
  { re: 'a{1001}', error: /invalid repeat count: `\{1001\}`/ },
  { re: 'a{2,1}', error: /invalid repeat count/ },
  { re: '((a{10}){10}){11}', error: /invalid repeat count/ },
  { re: 'a{99999999999}', error: /invalid repeat count/ },
  { re: '(a', error: /missing closing \)/ },
  { re: '[a', error: /missing closing \]/ },
  { re: '[z-a]', error: /invalid character class range: `z-a`/ },
  { re: '[[:foo:]]', error: /invalid character class range: `\[:foo:\]`/ },
  { re: '[a-\\d]', error: /invalid escape sequence/ },
  { re: '[\\b]', error: /invalid escape sequence/ },
  { re: '\\pX', error: /invalid character class range: `\\pX`/ },
  { re: '\\p{Latn}', error: /unknown Unicode class "Latn"/ },
  { re: '\\p{Alphabetic}', error: /unknown Unicode class/ },
  { re: '\\p{Greek', error: /invalid character class range/ },
  { re: '(?P<>a)', error: /invalid named capture/ },
  { re: '(?P<a-b>a)', error: /invalid named capture/ },
  { re: "(?'n'a)", error: /unsupported Perl syntax/ },
  { re: '(?i-)a', error: /unsupported Perl syntax/ },
  { re: '(?x)a', error: /unsupported Perl syntax/ },
  // Inside Prometheus's anchoring a final \ escapes the closing paren.
  { re: 'a\\', error: /missing closing \)/ },
  // …and a \Q without \E quotes it, so the group never closes either.
  { re: '\\Qa.b', error: /missing closing \)/ },
  { re: '\\x{110000}', error: /invalid escape sequence/ },
  { re: '\\xZ1', error: /invalid escape sequence/ },
];

describe('what RE2 (and so Prometheus) refuses', () => {
  for (const row of rejected) {
    test(row.re, () => {
      assert.throws(
        () => anchored(row.re),
        (err: unknown) => err instanceof Re2SyntaxError && row.error.test(err.message),
      );
    });
  }

  test('an unpaired closing paren, and a trailing backslash, without the anchoring', () => {
    assert.throws(() => new Re2Regex('a)'), /unexpected \)/);
    assert.throws(() => new Re2Regex('a\\'), /trailing backslash/);
  });

  test('nesting deeper than 1000 groups', () => {
    assert.throws(() => anchored(`${'('.repeat(1001)}a${')'.repeat(1001)}`), /nests too deeply/);
  });
});

describe('valid RE2 that Node 20 cannot express is refused, not mismatched', () => {
  test('a Unicode class under a scoped (?i)', () => {
    assert.throws(() => anchored('x(?i:\\pL)'), Re2UnsupportedError);
  });

  test('but a Unicode class under a (?i) covering everything works', () => {
    assert.ok(anchored('(?i)x\\p{Lu}').test('Xa'));
  });

  test('\\PC inside a class with other items', () => {
    assert.throws(() => anchored('[x\\PC]'), Re2UnsupportedError);
  });
});

describe('replaceAll, as Go ReplaceAllString', () => {
  const expand = (m: RegExpExecArray): string => `<${m[0]}>`;

  test('one full match: the expansion', () => {
    assert.equal(anchored('a(.*)').replaceAll('abc', expand), '<abc>');
  });

  test('an unanchored pattern replaces every match, skipping an empty match after one', () => {
    const re = new Re2Regex('b*');
    assert.equal(re.replaceAll('abc', expand), '<>a<b>c<>');
    assert.equal(new Re2Regex('x').replaceAll('axbx', expand), 'a<x>b<x>');
    assert.equal(new Re2Regex('x').replaceAll('ab', expand), 'ab');
  });
});
