/** The labels of a scraped series once the target's labels are attached (Prometheus's mutateSampleLabels). */
import { normalizeLabels, type Label, type Labels } from '../../model/labels.js';

export function attachTargetLabels(scraped: Labels, target: Labels, honorLabels: boolean): Label[] {
  const map = new Map<string, string>();
  for (const l of scraped) map.set(l.name, l.value);
  for (const t of target) {
    const existing = map.get(t.name);
    if (existing === undefined || existing === '') {
      map.set(t.name, t.value);
    } else if (!honorLabels) {
      // The scraped value is kept as exported_<name> (repeatedly prefixed if that is taken too).
      let name = `exported_${t.name}`;
      while (map.has(name)) name = `exported_${name}`;
      map.set(name, existing);
      map.set(t.name, t.value);
    }
  }
  return normalizeLabels([...map].map(([name, value]) => ({ name, value })));
}

export interface LabelLimits {
  readonly labelLimit: number;
  readonly nameLengthLimit: number;
  readonly valueLengthLimit: number;
}

/** Prometheus's label limits; the message is the scrape error when one is broken. */
export function checkLabelLimits(labels: Labels, limits: LabelLimits): string | undefined {
  if (limits.labelLimit > 0 && labels.length > limits.labelLimit)
    return `label_limit exceeded (metric has ${labels.length} labels, limit: ${limits.labelLimit})`;
  for (const l of labels) {
    if (limits.nameLengthLimit > 0 && l.name.length > limits.nameLengthLimit)
      return `label_name_length_limit exceeded (label name: ${l.name.slice(0, 60)}, length: ${l.name.length}, limit: ${limits.nameLengthLimit})`;
    if (limits.valueLengthLimit > 0 && l.value.length > limits.valueLengthLimit)
      return `label_value_length_limit exceeded (label: ${l.name}, length: ${l.value.length}, limit: ${limits.valueLengthLimit})`;
  }
  return undefined;
}
