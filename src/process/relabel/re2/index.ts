/**
 * RE2 patterns (Go's regexp, as Prometheus compiles them) run on V8's
 * engine: parsed with Go's rules, refused where Go refuses, and translated
 * to an equivalent JavaScript regex. Matching is a search, like Go's
 * MatchString; Prometheus's anchoring is part of the pattern it compiles.
 */
import { emitJs } from './emit.js';
import { Re2SyntaxError, Re2UnsupportedError } from './errors.js';
import { parseRe2 } from './parser.js';

export { Re2SyntaxError, Re2UnsupportedError } from './errors.js';

/**
 * A compiled pattern. The constructor throws Re2SyntaxError where Go would
 * refuse the pattern, Re2UnsupportedError where V8 cannot follow it.
 */
export class Re2Regex {
  /** The pattern as given to RE2. */
  readonly source: string;
  /** The JavaScript translation. */
  readonly js: RegExp;
  readonly groupCount: number;
  /** Name → group indexes, in order (Go allows a name twice). */
  readonly groupNames: ReadonlyMap<string, readonly number[]>;
  private global: RegExp | undefined;

  constructor(source: string) {
    const parsed = parseRe2(source);
    const emitted = emitJs(parsed.root);
    let js: RegExp;
    try {
      js = new RegExp(emitted.source, emitted.flags);
    } catch (err) {
      // A gap in the translation (say, a script this Node.js's ICU lacks).
      const why = err instanceof Error ? err.message : String(err);
      throw new Re2UnsupportedError(`this Node.js cannot run the translated pattern: ${why}`);
    }
    const names = new Map<string, number[]>();
    parsed.names.forEach((name, index) => {
      if (name === undefined) return;
      const list = names.get(name);
      if (list) list.push(index);
      else names.set(name, [index]);
    });
    this.source = source;
    this.js = js;
    this.groupCount = parsed.groupCount;
    this.groupNames = names;
  }

  test(s: string): boolean {
    return this.js.test(s);
  }

  /** The leftmost match and its groups (undefined where a group did not take part). */
  exec(s: string): RegExpExecArray | null {
    return this.js.exec(s);
  }

  /**
   * Go's ReplaceAllString: every non-overlapping match replaced by `expand`,
   * an empty match right after a previous match skipped, text between kept.
   */
  replaceAll(s: string, expand: (match: RegExpExecArray) => string): string {
    const first = this.js.exec(s);
    if (first === null) return s;
    // The usual case with an anchored pattern: one match covering everything.
    if (first.index === 0 && first[0].length === s.length) return expand(first);
    this.global ??= new RegExp(this.js.source, `${this.js.flags}g`);
    const re = this.global;
    let out = '';
    let lastEnd = 0;
    let searchPos = 0;
    while (searchPos <= s.length) {
      re.lastIndex = searchPos;
      const m = re.exec(s);
      if (m === null) break;
      const start = m.index;
      const end = start + m[0].length;
      out += s.slice(lastEnd, start);
      if (end > lastEnd || start === 0) out += expand(m);
      lastEnd = end;
      const width = searchPos < s.length ? ((s.codePointAt(searchPos) ?? 0) > 0xffff ? 2 : 1) : 1;
      searchPos = searchPos + width > end ? searchPos + width : end;
    }
    return out + s.slice(lastEnd);
  }
}

export function isRe2Error(err: unknown): err is Re2SyntaxError | Re2UnsupportedError {
  return err instanceof Re2SyntaxError || err instanceof Re2UnsupportedError;
}
