/**
 * Relabel rules validated and compiled as Prometheus does at config load
 * (relabel.Config's UnmarshalYAML and Validate): the same defaults, the same
 * refusals in the same order, so a file Prometheus loads loads here and one
 * it refuses is refused, with the key path and what to change.
 */
import { RelabelConfigError } from './errors.js';
import { readRule, type RawRule } from './fields.js';
import { isValidLabelName, isValidNameTemplate, type NameValidation } from './names.js';
import { Re2Regex, Re2SyntaxError, isRe2Error } from './re2/index.js';
import { ExpandTemplate } from './template.js';
import {
  RELABEL_ACTIONS,
  type RelabelAction,
  type RelabelOptions,
  type RelabelRule,
} from './types.js';

const DEFAULT_SEPARATOR = ';';
const DEFAULT_REGEX = '(.*)';
const DEFAULT_REPLACEMENT = '$1';

const NEEDS_TARGET = new Set<RelabelAction>([
  'replace',
  'hashmod',
  'lowercase',
  'uppercase',
  'keepequal',
  'dropequal',
]);
const CASE_OR_EQUAL = new Set<RelabelAction>(['lowercase', 'uppercase', 'keepequal', 'dropequal']);

const REGEX_HINT =
  'relabel regexes use RE2 syntax (https://github.com/google/re2/wiki/Syntax) and are anchored at both ends';
const UNSUPPORTED_HINT =
  'Prometheus would accept this regex, but Signet cannot run it identically; rewrite it, e.g. spell case variants out as [aA]';

export function compileRelabelConfigs(
  input: readonly unknown[],
  path: string,
  options: RelabelOptions = {},
): RelabelRule[] {
  return input.map((value, i) => compileRule(value, `${path}[${i}]`, options));
}

function compileRule(value: unknown, path: string, options: RelabelOptions): RelabelRule {
  const scheme: NameValidation = options.nameValidation ?? 'legacy';
  const raw = readRule(value, path);
  const at = (field: string): string => `${path}.${field}`;
  const fail = (field: string, problem: string, hint: string): never => {
    throw new RelabelConfigError(at(field), problem, hint);
  };

  raw.sourceLabels?.forEach((name, i) => {
    if (!isValidLabelName(name, scheme)) {
      fail(
        `source_labels[${i}]`,
        `${JSON.stringify(name)} is not a valid label name`,
        nameHint(scheme),
      );
    }
  });
  const regexSource = raw.regex ?? DEFAULT_REGEX;
  const regex = compileAnchored(regexSource, at('regex'), options.dotMatchesNewline ?? false);
  const action = parseAction(raw.action, at('action'));
  const separator = raw.separator ?? DEFAULT_SEPARATOR;
  const replacement = raw.replacement ?? DEFAULT_REPLACEMENT;
  const target = raw.targetLabel;
  const tq = JSON.stringify(target);

  if (action === 'hashmod' && raw.modulus === 0) {
    fail(
      'modulus',
      'relabel configuration for hashmod requires non-zero modulus',
      'set modulus to the number of shards, e.g. modulus: 8',
    );
  }
  if (NEEDS_TARGET.has(action) && target === '') {
    fail(
      'target_label',
      `relabel configuration for ${action} action requires 'target_label' value`,
      'name the label the result is written to, e.g. target_label: instance',
    );
  }
  if (action === 'replace') {
    const ok = target.includes('$')
      ? isValidNameTemplate(target, scheme)
      : isValidLabelName(target, scheme);
    if (!ok) {
      fail(
        'target_label',
        `${tq} is invalid 'target_label' for replace action`,
        `${nameHint(scheme)}; it may contain $1, $name or \${1} references to regex groups`,
      );
    }
  }
  if (CASE_OR_EQUAL.has(action)) {
    if (!isValidLabelName(target, scheme)) {
      fail(
        'target_label',
        `${tq} is invalid 'target_label' for ${action} action`,
        nameHint(scheme),
      );
    }
    if (replacement !== DEFAULT_REPLACEMENT) {
      fail(
        'replacement',
        `'replacement' can not be set for ${action} action`,
        'remove replacement from this rule',
      );
    }
  }
  if (action === 'labelmap' && !isValidNameTemplate(replacement, scheme)) {
    fail(
      'replacement',
      `${JSON.stringify(replacement)} is invalid 'replacement' for labelmap action`,
      `the replacement is a label name: ${nameHint(scheme)}, with $1-style references`,
    );
  }
  if (action === 'hashmod' && !isValidLabelName(target, scheme)) {
    fail('target_label', `${tq} is invalid 'target_label' for hashmod action`, nameHint(scheme));
  }
  if (action === 'keepequal' || action === 'dropequal') {
    const extra = extraField(raw, { regex: raw.regex !== undefined });
    if (extra !== undefined) {
      fail(
        extra,
        `${action} action requires only 'source_labels' and \`target_label\`, and no other fields`,
        `remove ${extra}: ${action} compares the joined source_labels with target_label's value`,
      );
    }
  }
  if (action === 'labeldrop' || action === 'labelkeep') {
    const extra = extraField(raw, {
      source_labels: raw.sourceLabels !== undefined,
      target_label: target !== '',
    });
    if (extra !== undefined) {
      fail(
        extra,
        `${action} action requires only 'regex', and no other fields`,
        `remove ${extra}: ${action} matches its regex against label names`,
      );
    }
  }

  return Object.freeze({
    action,
    sourceLabels: Object.freeze([...(raw.sourceLabels ?? [])]),
    separator,
    regexSource,
    regex,
    modulus: raw.modulus,
    targetLabel: target,
    replacement,
    target: new ExpandTemplate(target, regex),
    replacementTemplate: new ExpandTemplate(replacement, regex),
    nameValidation: scheme,
    path,
  });
}

/** The first field set away from its default, among the common ones and `also`. */
function extraField(raw: RawRule, also: Record<string, boolean>): string | undefined {
  const set: Record<string, boolean> = {
    ...also,
    modulus: raw.modulus !== 0,
    separator: (raw.separator ?? DEFAULT_SEPARATOR) !== DEFAULT_SEPARATOR,
    replacement: (raw.replacement ?? DEFAULT_REPLACEMENT) !== DEFAULT_REPLACEMENT,
  };
  return Object.keys(set).find((k) => set[k]);
}

function parseAction(value: string | undefined, path: string): RelabelAction {
  if (value === '') {
    throw new RelabelConfigError(
      path,
      'relabel action cannot be empty',
      `use one of ${RELABEL_ACTIONS.join(', ')}, or leave action out for replace`,
    );
  }
  if (value === undefined) return 'replace';
  // Prometheus lower-cases the action name, so `Keep` and `KEEP` work.
  const lower = value.toLowerCase();
  const action = RELABEL_ACTIONS.find((a) => a === lower);
  if (action === undefined) {
    throw new RelabelConfigError(
      path,
      `unknown relabel action ${JSON.stringify(value)}`,
      `use one of ${RELABEL_ACTIONS.join(', ')}`,
    );
  }
  return action;
}

function nameHint(scheme: NameValidation): string {
  return scheme === 'legacy'
    ? 'a label name is letters, digits and underscores, not starting with a digit'
    : 'a label name must not be empty';
}

// Rules in many jobs share regexes (`(.*)` above all); compiled ones are reused.
const cache = new Map<string, Re2Regex>();
const CACHE_LIMIT = 1000;

/** Compiles as Prometheus does: `^(?:regex)$`, or `^(?s:regex)$` in Prometheus 3. */
function compileAnchored(regex: string, path: string, dotAll: boolean): Re2Regex {
  const anchored = `^(?${dotAll ? 's' : ''}:${regex})$`;
  const hit = cache.get(anchored);
  if (hit) return hit;
  let compiled: Re2Regex;
  try {
    compiled = new Re2Regex(anchored);
  } catch (err) {
    if (!isRe2Error(err)) throw err;
    throw new RelabelConfigError(
      path,
      `invalid regex ${JSON.stringify(regex)}: ${err.message}`,
      err instanceof Re2SyntaxError ? REGEX_HINT : UNSUPPORTED_HINT,
      err,
    );
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(anchored, compiled);
  return compiled;
}
