/**
 * Label sets as the whole pipeline passes them: sorted by name, no empty
 * values (Prometheus drops labels whose value is empty), `__name__` included.
 */
export interface Label {
  readonly name: string;
  readonly value: string;
}

export type Labels = readonly Label[];

export const METRIC_NAME = '__name__';

/** Sorts by name and drops empty values; the one way label sets enter the pipeline. */
export function normalizeLabels(labels: Iterable<Label>): Label[] {
  const out: Label[] = [];
  for (const l of labels) if (l.value !== '') out.push(l);
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

export function labelsFromRecord(record: Readonly<Record<string, string>>): Label[] {
  return normalizeLabels(Object.entries(record).map(([name, value]) => ({ name, value })));
}

export function getLabel(labels: Labels, name: string): string | undefined {
  for (const l of labels) if (l.name === name) return l.value;
  return undefined;
}

/** `{a="1", b="2"}` with the name in front, as Prometheus prints a series. */
export function formatSeries(labels: Labels): string {
  const name = getLabel(labels, METRIC_NAME) ?? '';
  const rest = labels
    .filter((l) => l.name !== METRIC_NAME)
    .map((l) => `${l.name}=${JSON.stringify(l.value)}`)
    .join(', ');
  return `${name}{${rest}}`;
}

/**
 * A label set as one string, one to one: each label is its name, `\xff`, the
 * value's length as base-128 digits (char codes), then the value. Names are
 * identifiers and never hold `\xff`; the length makes any value safe. Every
 * char stays below 0x100, so V8 keeps the key one byte per char for Latin-1
 * labels. The series table holds series in this form: one string per series
 * instead of an array of label objects, which is what the garbage collector
 * would otherwise walk for every series, many times a minute.
 */
export function labelsKey(labels: Labels): string {
  let key = '';
  for (const l of labels) {
    key += l.name + '\xff';
    let n = l.value.length;
    while (n >= 0x80) {
      key += String.fromCharCode(0x80 | (n & 0x7f));
      n >>>= 7;
    }
    key += String.fromCharCode(n) + l.value;
  }
  // Built with `+=`, the key is a tree of V8 cons strings over the pieces; a
  // Map keeps that tree (~600 bytes a series) unless it is flattened into one
  // string first, which charCodeAt does (measured: 1M series, 1 GB → 0.5 GB).
  key.charCodeAt(0);
  return key;
}

/** The labels a labelsKey was made of. */
export function labelsFromKey(key: string): Label[] {
  const labels: Label[] = [];
  let i = 0;
  while (i < key.length) {
    const sep = key.indexOf('\xff', i);
    const name = key.slice(i, sep);
    i = sep + 1;
    let length = 0;
    let shift = 0;
    let c = key.charCodeAt(i++);
    while (c >= 0x80) {
      length += (c & 0x7f) * 2 ** shift;
      shift += 7;
      c = key.charCodeAt(i++);
    }
    length += c * 2 ** shift;
    labels.push({ name, value: key.slice(i, i + length) });
    i += length;
  }
  return labels;
}
