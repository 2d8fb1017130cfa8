/**
 * Running compiled rules over one label set, action by action as
 * Prometheus's relabel.ProcessBuilder does. This is the per-series and
 * per-target path: everything parseable was parsed at compile time, and a
 * rule set that only keeps or drops allocates nothing but the result.
 */
import type { Label, Labels } from '../../model/labels.js';
import { LabelBuilder } from './builder.js';
import { goToLower, goToUpper } from './case-map.js';
import { hashmod } from './hashmod.js';
import { isValidLabelName } from './names.js';
import type { RelabelRule } from './types.js';

/**
 * Applies `rules` in order. Returns the new label set, sorted, without empty
 * values, or undefined when a rule dropped it. `labels` is never changed.
 */
export function relabel(labels: Labels, rules: readonly RelabelRule[]): Label[] | undefined {
  const builder = new LabelBuilder(labels);
  for (const rule of rules) if (!applyRule(rule, builder)) return undefined;
  return builder.labels();
}

/** The source labels' values joined by the separator (missing labels count as empty). */
function sourceValue(rule: RelabelRule, b: LabelBuilder): string {
  const names = rule.sourceLabels;
  if (names.length === 1) return b.get(names[0]!);
  let val = '';
  for (let i = 0; i < names.length; i++) {
    if (i > 0) val += rule.separator;
    val += b.get(names[i]!);
  }
  return val;
}

/** False when the rule drops the label set. */
function applyRule(rule: RelabelRule, b: LabelBuilder): boolean {
  switch (rule.action) {
    case 'drop':
      return !rule.regex.test(sourceValue(rule, b));
    case 'keep':
      return rule.regex.test(sourceValue(rule, b));
    case 'dropequal':
      return b.get(rule.targetLabel) !== sourceValue(rule, b);
    case 'keepequal':
      return b.get(rule.targetLabel) === sourceValue(rule, b);
    case 'replace':
      replace(rule, b);
      return true;
    case 'lowercase':
      b.set(rule.targetLabel, goToLower(sourceValue(rule, b)));
      return true;
    case 'uppercase':
      b.set(rule.targetLabel, goToUpper(sourceValue(rule, b)));
      return true;
    case 'hashmod':
      b.set(rule.targetLabel, String(hashmod(sourceValue(rule, b), rule.modulus)));
      return true;
    case 'labelmap':
      b.forEach((name, value) => {
        if (rule.regex.test(name)) {
          b.set(
            rule.regex.replaceAll(name, (m) => rule.replacementTemplate.expand(m)),
            value,
          );
        }
      });
      return true;
    case 'labeldrop':
      b.forEach((name) => {
        if (rule.regex.test(name)) b.delete(name);
      });
      return true;
    case 'labelkeep':
      b.forEach((name) => {
        if (!rule.regex.test(name)) b.delete(name);
      });
      return true;
  }
}

function replace(rule: RelabelRule, b: LabelBuilder): void {
  const match = rule.regex.exec(sourceValue(rule, b));
  if (match === null) return; // no match, no change
  const target = rule.target.expand(match);
  // A target without references was checked at load; one built from the
  // value is checked here, and an invalid result changes nothing.
  if (rule.targetLabel.includes('$') && !isValidLabelName(target, rule.nameValidation)) return;
  const value = rule.replacementTemplate.expand(match);
  if (value === '') b.delete(target);
  else b.set(target, value);
}
