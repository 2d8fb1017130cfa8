/**
 * Which label names a rule may write, under Prometheus's two schemes:
 * `legacy` (`[a-zA-Z_][a-zA-Z0-9_]*`, Prometheus 2 and Signet's default) and
 * `utf8` (any non-empty text, Prometheus 3's default).
 */
export type NameValidation = 'legacy' | 'utf8';

const LEGACY_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LONE_SURROGATE = /[\ud800-\udfff]/u;

export function isValidLabelName(name: string, scheme: NameValidation): boolean {
  if (scheme === 'legacy') return LEGACY_NAME.test(name);
  return name !== '' && !LONE_SURROGATE.test(name);
}

/**
 * A legacy name that may also contain `$1`, `$name`, `${1}` references
 * (Prometheus's relabelTarget pattern). Prometheus writes it with nested
 * repetition, which is linear in Go but can backtrack exponentially in
 * JavaScript; this is the same language without the nesting: a letter,
 * `_` or reference first, then word characters or references.
 */
const LEGACY_TEMPLATE = /^(?:[a-zA-Z_]|\$(?:\{\w+\}|\w))(?:\w|\$(?:\{\w+\}|\w))*$/;

export function isValidNameTemplate(template: string, scheme: NameValidation): boolean {
  if (scheme === 'legacy') return LEGACY_TEMPLATE.test(template);
  return isValidLabelName(template, scheme);
}
