/** The shapes of relabeling: a rule as written in YAML, and as compiled. */
import type { NameValidation } from './names.js';
import type { Re2Regex } from './re2/index.js';
import type { ExpandTemplate } from './template.js';

export type RelabelAction =
  | 'replace'
  | 'keep'
  | 'drop'
  | 'keepequal'
  | 'dropequal'
  | 'hashmod'
  | 'labelmap'
  | 'labeldrop'
  | 'labelkeep'
  | 'lowercase'
  | 'uppercase';

export const RELABEL_ACTIONS: readonly RelabelAction[] = [
  'replace',
  'keep',
  'drop',
  'keepequal',
  'dropequal',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
];

/** A rule as written in YAML (snake_case, every field optional). */
export interface RelabelConfigInput {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  modulus?: number;
  target_label?: string;
  replacement?: string;
  action?: string;
}

/** Which Prometheus the rules should behave like where versions differ. */
export interface RelabelOptions {
  /**
   * Label names rules may write: `legacy` (Prometheus 2, the default;
   * `[a-zA-Z_][a-zA-Z0-9_]*`) or `utf8` (Prometheus 3: any non-empty text).
   */
  readonly nameValidation?: NameValidation;
  /**
   * Whether `.` also matches a newline. Prometheus 3 compiles relabel
   * regexes as `^(?s:…)$`, Prometheus 2 as `^(?:…)$` (the default here).
   */
  readonly dotMatchesNewline?: boolean;
}

/** A validated, compiled rule: everything per-series work needs is prepared. */
export interface RelabelRule {
  readonly action: RelabelAction;
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  /** The regex as written (before Prometheus's anchoring). */
  readonly regexSource: string;
  /** The anchored pattern, as Prometheus compiles it, translated for V8. */
  readonly regex: Re2Regex;
  /** 0 unless the action is hashmod. */
  readonly modulus: number;
  readonly targetLabel: string;
  readonly replacement: string;
  readonly target: ExpandTemplate;
  readonly replacementTemplate: ExpandTemplate;
  readonly nameValidation: NameValidation;
  /** Where the rule was written, e.g. `scrape_configs[0].relabel_configs[2]`. */
  readonly path: string;
}
