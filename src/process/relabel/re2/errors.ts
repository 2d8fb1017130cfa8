/**
 * Why an RE2 pattern was refused. `code` and `expr` follow Go's regexp/syntax
 * wording (what Prometheus prints for the same pattern), so a user comparing
 * against Prometheus's own error sees the same words; `detail` adds what Go
 * leaves unsaid, such as which Perl feature RE2 lacks.
 */
export class Re2SyntaxError extends Error {
  readonly code: string;
  readonly expr: string;
  readonly detail: string | undefined;

  constructor(code: string, expr: string, detail?: string) {
    super(
      `error parsing regexp: ${code}: \`${expr}\`${detail === undefined ? '' : ` (${detail})`}`,
    );
    this.name = 'Re2SyntaxError';
    this.code = code;
    this.expr = expr;
    this.detail = detail;
  }
}

// Go's ErrorCode strings, verbatim.
export const ERR = {
  invalidCharClass: 'invalid character class',
  invalidCharRange: 'invalid character class range',
  invalidEscape: 'invalid escape sequence',
  invalidNamedCapture: 'invalid named capture',
  invalidPerlOp: 'invalid or unsupported Perl syntax',
  invalidRepeatOp: 'invalid nested repetition operator',
  invalidRepeatSize: 'invalid repeat count',
  invalidUTF8: 'invalid UTF-8',
  missingBracket: 'missing closing ]',
  missingParen: 'missing closing )',
  missingRepeatArgument: 'missing argument to repetition operator',
  trailingBackslash: 'trailing backslash at end of expression',
  unexpectedParen: 'unexpected )',
  nestingDepth: 'expression nests too deeply',
} as const;

/**
 * Constructs Go would reject that Perl and JavaScript users reach for; the
 * parser still fails where Go fails, this only names the feature.
 */
export function explainPerlGroup(afterQuestion: string): string | undefined {
  if (afterQuestion.startsWith('=')) return 'lookahead (?=…) is not supported by RE2';
  if (afterQuestion.startsWith('!')) return 'negative lookahead (?!…) is not supported by RE2';
  if (afterQuestion.startsWith('<=')) return 'lookbehind (?<=…) is not supported by RE2';
  if (afterQuestion.startsWith('<!')) return 'negative lookbehind (?<!…) is not supported by RE2';
  if (afterQuestion.startsWith('>')) return 'atomic groups (?>…) are not supported by RE2';
  if (afterQuestion.startsWith('#')) return 'comments (?#…) are not supported by RE2';
  if (afterQuestion.startsWith('P='))
    return 'named backreferences (?P=name) are not supported by RE2';
  if (afterQuestion.startsWith('P>') || /^(?:[R&+0-9]|-[0-9])/.test(afterQuestion)) {
    return 'recursion and subroutine calls are not supported by RE2';
  }
  if (afterQuestion.startsWith('|')) return 'branch reset groups (?|…) are not supported by RE2';
  if (afterQuestion.startsWith("'"))
    return "named groups are written (?P<name>…) in RE2, not (?'name'…)";
  return undefined;
}

export function explainEscape(letter: string): string | undefined {
  if (/^[1-9]$/.test(letter)) return 'backreferences are not supported by RE2';
  if (letter === 'k' || letter === 'g') return 'backreferences are not supported by RE2';
  if (letter === 'C') return '\\C (any byte) is not supported';
  if (letter === 'Z') return 'RE2 has no \\Z; use \\z or $';
  if (letter === 'u') return 'RE2 has no \\uXXXX escape; write \\x{XXXX}';
  if (letter === 'e') return 'RE2 has no \\e escape; write \\x1b';
  if (letter === 'E') return '\\E only ends a \\Q…\\E quotation';
  if ('GKRXhHVNco'.includes(letter)) return `\\${letter} is not supported by RE2`;
  return undefined;
}

/**
 * A valid RE2 pattern that Signet cannot spell as a Node 20 JavaScript regex
 * (scoped case-insensitivity around Unicode classes, mostly). Refused at
 * load time rather than matched differently from Prometheus.
 */
export class Re2UnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Re2UnsupportedError';
  }
}
