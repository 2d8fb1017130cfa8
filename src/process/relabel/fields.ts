/**
 * Reading one relabel rule's fields from parsed YAML the way Prometheus's
 * YAML decoder (yaml.v2, strict) does: an absent field keeps its default, an
 * explicit `null` sets the zero value (`regex:` with nothing after it is the
 * empty regex, not the default), scalars are accepted as text, and unknown
 * keys are errors.
 */
import { RelabelConfigError } from './errors.js';

export const FIELDS = [
  'source_labels',
  'separator',
  'regex',
  'modulus',
  'target_label',
  'replacement',
  'action',
] as const;

export interface RawRule {
  /** source_labels as given; undefined when absent or null (so "not set"). */
  readonly sourceLabels: readonly string[] | undefined;
  readonly separator: string | undefined;
  /** undefined when absent; '' for null. */
  readonly regex: string | undefined;
  readonly modulus: number;
  readonly targetLabel: string;
  readonly replacement: string | undefined;
  readonly action: string | undefined;
}

export function readRule(value: unknown, path: string): RawRule {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RelabelConfigError(
      path,
      value === null || value === undefined
        ? 'empty or null relabeling rule'
        : `a relabeling rule must be a mapping, not ${describe(value)}`,
      'write a rule such as `{ source_labels: [job], regex: "node", action: keep }`, or remove the empty `-` entry',
    );
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      const near = FIELDS.find((f) => editDistance(f, key) <= 2);
      throw new RelabelConfigError(
        `${path}.${key}`,
        `unknown field ${JSON.stringify(key)} in a relabeling rule`,
        near !== undefined
          ? `did you mean ${near}?`
          : `a relabeling rule has only ${FIELDS.join(', ')}`,
      );
    }
  }
  return {
    sourceLabels: readSourceLabels(obj.source_labels, `${path}.source_labels`),
    separator: readText(obj.separator, `${path}.separator`),
    regex: readText(obj.regex, `${path}.regex`),
    modulus: readModulus(obj.modulus, `${path}.modulus`),
    targetLabel: readText(obj.target_label, `${path}.target_label`) ?? '',
    replacement: readText(obj.replacement, `${path}.replacement`),
    action: readText(obj.action, `${path}.action`),
  };
}

/** undefined when absent, '' for null, the text of any scalar. */
function readText(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  throw new RelabelConfigError(path, `must be a string, not ${describe(value)}`, 'quote the value');
}

function readSourceLabels(value: unknown, path: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    throw new RelabelConfigError(
      path,
      `must be a list of label names, not ${describe(value)}`,
      typeof value === 'string'
        ? `write source_labels: [${value}]`
        : 'write source_labels: [label_a, label_b]',
    );
  }
  return value.map((item, i) => readText(item, `${path}[${i}]`) ?? '');
}

function readModulus(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new RelabelConfigError(
      path,
      `must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, not ${describe(value)}`,
      'write modulus: 8 (unquoted) to split into 8 shards',
    );
  }
  return n;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  return typeof value;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
