/**
 * Templates over an entry's labels in the Go template spelling the guides
 * use (`{{ .pod }}/{{ .container }}`): literal text and `{{ .label }}`
 * references, nothing more, so a typo is refused at start rather than
 * naming a stream or key after it. A label the entry lacks renders empty
 * (Go's zero value for a map of strings). CloudWatch Logs stream names and
 * Kinesis partition keys both use it; each sink decides what a leftover
 * brace or an empty result means for it and words its own errors.
 */
import type { LogLabels } from '../../model/log-entry.js';

type Part = { readonly text: string } | { readonly label: string };

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;
const REFERENCE = /^\.([A-Za-z_][A-Za-z0-9_]*)$/;

export interface LabelTemplate {
  /** No `{{ .label }}` reference: every entry renders the same text. */
  readonly literal: boolean;
  /** Literal text still holds `{{`: a reference was opened and never closed. */
  readonly unclosed: boolean;
  /** Literal text holds `}}` that closes no reference. */
  readonly strayClose: boolean;
  render(labels: LogLabels): string;
}

/**
 * Parses `template`; an action that is not a `.label` reference is refused
 * with the error `refuseAction` makes from its inner text.
 */
export function parseLabelTemplate(
  template: string,
  refuseAction: (inner: string) => Error,
): LabelTemplate {
  const parts: Part[] = [];
  let last = 0;
  for (const match of template.matchAll(ACTION)) {
    const inner = match[1] ?? '';
    const label = REFERENCE.exec(inner)?.[1];
    if (label === undefined) throw refuseAction(inner);
    if (match.index > last) parts.push({ text: template.slice(last, match.index) });
    parts.push({ label });
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  const texts = parts.flatMap((p) => ('text' in p ? [p.text] : []));
  return {
    literal: texts.length === parts.length,
    unclosed: texts.some((text) => text.includes('{{')),
    strayClose: texts.some((text) => text.includes('}}')),
    render: (labels) => {
      let text = '';
      for (const part of parts) text += 'text' in part ? part.text : (labels[part.label] ?? '');
      return text;
    },
  };
}

/**
 * `compute` remembered per labels object, so entries sharing one labels
 * object render once and always get the same answer.
 */
export function perLabels<T>(compute: (labels: LogLabels) => T): (labels: LogLabels) => T {
  const cache = new WeakMap<LogLabels, T>();
  // Entries come in runs from one file, so the last answer is usually the one asked for.
  let lastLabels: LogLabels | undefined;
  let lastValue: T | undefined;
  return (labels) => {
    if (labels === lastLabels) return lastValue as T;
    let value: T;
    if (cache.has(labels)) value = cache.get(labels) as T;
    else {
      value = compute(labels);
      cache.set(labels, value);
    }
    lastLabels = labels;
    lastValue = value;
    return value;
  };
}

/**
 * `text` cut to `max` code points: the AWS models' length traits count code
 * points, not UTF-16 units, so a cut by `.length` could split a pair.
 */
export function cutToCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length > max ? points.slice(0, max).join('') : text;
}
