/**
 * The PromQL this stand-in evaluates: one instant vector selector,
 * `metric{a="x",b!="y",c=~"re",d!~"re"}` or `{__name__="m",…}`. Anything else
 * is refused with a message naming the construct, never half-evaluated.
 */
import { RegexError, newMatcher } from './matcher.js';
import type { MatchType, Matcher } from './matcher.js';

/** A query this service cannot evaluate; `position` is 1-based, as in PromQL errors. */
export class SelectorError extends Error {
  override readonly name = 'SelectorError';
  constructor(
    message: string,
    readonly position: number,
    /** False for valid PromQL that this subset does not evaluate. */
    readonly syntax: boolean,
  ) {
    super(message);
  }
}

const METRIC_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const OPERATOR = /=~|!~|!=|=/y;
const WHITESPACE = /\s*/y;
const NUMBER_START = /[0-9.]/;
const BINARY_OPERATOR = /^(\+|-|\*|\/|%|\^|==|!=|>=|<=|>|<|and\b|or\b|unless\b|atan2\b)/;
const AGGREGATIONS = new Set([
  ...'sum avg count min max group stddev stdvar'.split(' '),
  ...'topk bottomk quantile count_values limitk limit_ratio'.split(' '),
]);

const UNSUPPORTED = 'signet local evaluates only a vector selector such as metric{label="value"}';

export function parseSelector(query: string): Matcher[] {
  return new Parser(query).selector();
}

function isMatchType(text: string | undefined): text is MatchType {
  return text === '=' || text === '!=' || text === '=~' || text === '!~';
}

class Parser {
  private pos = 0;

  constructor(private readonly input: string) {}

  selector(): Matcher[] {
    this.skipSpace();
    if (this.pos >= this.input.length) throw this.syntax('no expression found in input');
    const matchers: Matcher[] = [];
    const name = this.take(METRIC_NAME);
    if (name !== undefined && /^(nan|inf)$/i.test(name)) {
      throw this.unsupported('number literals are not supported');
    }
    if (name !== undefined) {
      this.skipSpace();
      if (this.peek() === '(') {
        const kind = AGGREGATIONS.has(name) ? 'aggregation' : 'function';
        throw this.unsupported(`${kind} ${name}() is not supported`);
      }
      if (AGGREGATIONS.has(name) && /^(by|without)\b/.test(this.rest())) {
        throw this.unsupported(`aggregation ${name} is not supported`);
      }
      matchers.push(newMatcher('__name__', '=', name));
    } else if (this.peek() !== '{') {
      throw this.leading();
    }
    if (this.peek() === '{') matchers.push(...this.braces(name));
    this.skipSpace();
    if (this.pos < this.input.length) throw this.trailing();
    if (!matchers.some((m) => !m.matches(''))) {
      throw this.syntax('vector selector must contain at least one non-empty matcher', 1);
    }
    return matchers;
  }

  /** `{…}`, after an optional metric name. */
  private braces(metricName: string | undefined): Matcher[] {
    this.pos++;
    const matchers: Matcher[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === '}') break;
      const start = this.pos;
      if (this.peek() === '"' || this.peek() === "'") {
        throw this.unsupported('quoted (UTF-8) label or metric names are not supported');
      }
      const label = this.take(LABEL_NAME);
      if (label === undefined)
        throw this.syntax(`unexpected ${this.describeNext()} in label matching, expected label`);
      this.skipSpace();
      const type = this.take(OPERATOR);
      if (!isMatchType(type))
        throw this.syntax(
          `unexpected ${this.describeNext()} in label matching, expected label matching operator`,
        );
      this.skipSpace();
      const value = this.string();
      if (label === '__name__' && metricName !== undefined) {
        throw this.syntax(
          `metric name must not be set twice: ${JSON.stringify(metricName)} or ${JSON.stringify(value)}`,
          start + 1,
        );
      }
      try {
        matchers.push(newMatcher(label, type, value));
      } catch (error) {
        if (error instanceof RegexError) throw this.syntax(error.message, start + 1);
        throw error;
      }
      this.skipSpace();
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== '}')
        throw this.syntax(
          `unexpected ${this.describeNext()} in label matching, expected "," or "}"`,
        );
    }
    this.pos++;
    return matchers;
  }

  /** A PromQL string literal: "…" or '…' with Go escapes, or `…` raw. */
  private string(): string {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'" && quote !== '`') {
      throw this.syntax(`unexpected ${this.describeNext()} in label matching, expected string`);
    }
    const start = this.pos++;
    let out = '';
    while (this.pos < this.input.length) {
      const char = this.input[this.pos++] ?? '';
      if (char === quote) return out;
      if (char === '\\' && quote !== '`') out += this.escape();
      else if (char === '\n' && quote !== '`') break;
      else out += char;
    }
    throw this.syntax('unterminated quoted string', start + 1);
  }

  private escape(): string {
    const char = this.input[this.pos++] ?? '';
    // prettier-ignore
    const simple: Record<string, string> = {
      a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
      '\\': '\\', '"': '"', "'": "'",
    };
    const known = simple[char];
    if (known !== undefined) return known;
    const digits = { x: 2, u: 4, U: 8 }[char];
    if (digits !== undefined)
      return this.codePoint(this.input.slice(this.pos, this.pos + digits), 16, digits);
    if (/[0-7]/.test(char))
      return this.codePoint(this.input.slice(this.pos - 1, this.pos + 2), 8, 2);
    // Points at the backslash.
    throw this.syntax(`unknown escape sequence \\${char}`, this.pos - 1);
  }

  private codePoint(text: string, radix: 8 | 16, advance: number): string {
    const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
    const code = parseInt(text, radix);
    const length = radix === 16 ? advance : advance + 1;
    if (
      text.length !== length ||
      !valid.test(text) ||
      code > 0x10ffff ||
      (code >= 0xd800 && code <= 0xdfff)
    ) {
      throw this.syntax(`invalid escape sequence in ${JSON.stringify(text)}`);
    }
    this.pos += advance;
    return String.fromCodePoint(code);
  }

  /** Names what starts an expression that is not a selector. */
  private leading(): SelectorError {
    const next = this.peek() ?? '';
    if (NUMBER_START.test(next)) return this.unsupported('number literals are not supported');
    if (next === '"' || next === "'" || next === '`') {
      return this.unsupported('string literals are not supported');
    }
    if (next === '(') return this.unsupported('parenthesised expressions are not supported');
    if (next === '-' || next === '+') return this.unsupported('unary operators are not supported');
    return this.syntax(`unexpected ${this.describeNext()}`);
  }

  /** Names what follows a selector when the query goes on. */
  private trailing(): SelectorError {
    const rest = this.rest();
    if (rest.startsWith('['))
      return this.unsupported('range and subquery selectors ([…]) are not supported');
    if (/^offset\b/.test(rest)) return this.unsupported('the offset modifier is not supported');
    if (rest.startsWith('@')) return this.unsupported('the @ modifier is not supported');
    const operator = BINARY_OPERATOR.exec(rest)?.[1];
    if (operator !== undefined)
      return this.unsupported(`binary operator ${JSON.stringify(operator)} is not supported`);
    return this.syntax(`unexpected ${this.describeNext()} after the vector selector`);
  }

  private take(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const match = pattern.exec(this.input);
    if (!match || match[0] === '') return undefined;
    this.pos += match[0].length;
    return match[0];
  }

  private skipSpace(): void {
    this.take(WHITESPACE);
  }

  private peek(): string | undefined {
    return this.input[this.pos];
  }

  private rest(): string {
    return this.input.slice(this.pos);
  }

  private describeNext(): string {
    const next = this.peek();
    return next === undefined ? 'end of input' : JSON.stringify(next);
  }

  private syntax(message: string, position = this.pos + 1): SelectorError {
    return new SelectorError(message, position, true);
  }

  private unsupported(message: string): SelectorError {
    return new SelectorError(`${message}; ${UNSUPPORTED}`, this.pos + 1, false);
  }
}
