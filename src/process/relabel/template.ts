/**
 * `$1`, `${1}`, `$name`, `${name}` and `$$` in target_label and replacement,
 * expanded exactly as Go's regexp.Expand does: a name runs as long as letters,
 * digits and `_` continue (`$1x` is the group named "1x", usually absent, so
 * empty), numbers have no leading zeros (`$01` is a name too), a malformed
 * reference leaves its `$` as text, and a group that did not take part
 * expands to nothing. Parsed once per rule; expansion only concatenates.
 */
import type { Re2Regex } from './re2/index.js';

/** A literal piece, or the group indexes a reference may take its text from (first that matched wins). */
type Piece = string | readonly number[];

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

export class ExpandTemplate {
  readonly template: string;
  /** Set when the template refers to no group: expansion is this string. */
  readonly constant: string | undefined;
  private readonly pieces: readonly Piece[];

  constructor(template: string, regex: Re2Regex) {
    this.template = template;
    this.pieces = parse(template, regex);
    const only = this.pieces[0];
    this.constant =
      this.pieces.length === 0
        ? ''
        : this.pieces.length === 1 && typeof only === 'string'
          ? only
          : undefined;
  }

  expand(match: RegExpExecArray): string {
    if (this.constant !== undefined) return this.constant;
    let out = '';
    for (const piece of this.pieces) {
      if (typeof piece === 'string') {
        out += piece;
        continue;
      }
      for (const index of piece) {
        const text = match[index];
        if (text !== undefined) {
          out += text;
          break;
        }
      }
    }
    return out;
  }
}

function parse(template: string, regex: Re2Regex): Piece[] {
  const pieces: Piece[] = [];
  let literal = '';
  let i = 0;
  for (;;) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) break;
    literal += template.slice(i, dollar);
    i = dollar;
    if (template[i + 1] === '$') {
      literal += '$';
      i += 2;
      continue;
    }
    const ref = extract(template, i);
    if (ref === undefined) {
      literal += '$'; // malformed: the $ is plain text
      i += 1;
      continue;
    }
    i = ref.end;
    const indexes =
      ref.num >= 0
        ? ref.num <= regex.groupCount
          ? [ref.num]
          : []
        : (regex.groupNames.get(ref.name) ?? []);
    if (indexes.length === 0) continue; // no such group: expands to nothing
    if (literal !== '') pieces.push(literal);
    literal = '';
    pieces.push(indexes);
  }
  literal += template.slice(i);
  if (literal !== '') pieces.push(literal);
  return pieces;
}

/** Go's extract(): the reference starting at the `$` at `at`. */
function extract(s: string, at: number): { name: string; num: number; end: number } | undefined {
  if (s.length - at < 2) return undefined;
  const brace = s[at + 1] === '{';
  const start = at + (brace ? 2 : 1);
  let i = start;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (!NAME_CHAR.test(ch)) break;
    i += ch.length;
  }
  if (i === start) return undefined;
  const name = s.slice(start, i);
  if (brace) {
    if (s[i] !== '}') return undefined;
    i++;
  }
  let num = 0;
  for (let k = 0; k < name.length; k++) {
    const d = name.charCodeAt(k) - 0x30;
    if (d < 0 || d > 9 || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + d;
  }
  if (name.length > 1 && name[0] === '0') num = -1;
  return { name, num, end: i };
}
