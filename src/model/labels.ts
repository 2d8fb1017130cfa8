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

/** A stable key for a label set (names and values cannot contain `\xff`). */
export function labelsKey(labels: Labels): string {
  let key = '';
  for (const l of labels) key += `${l.name}\xff${l.value}\xff`;
  return key;
}
