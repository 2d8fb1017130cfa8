/**
 * `tenant`: the tenant an entry is sent for, in Loki's reserved label
 * `__tenant_id__` — from a label, an extracted value, or a fixed value
 * (exactly one). An empty or missing tenant leaves the entry as it was.
 */
import { TENANT_LABEL } from '../../../model/log-entry.js';
import { StageConfigError, type CompiledStage, type StageFactory } from '../types.js';
import { ConfigReader, promtailString } from './values.js';

export const tenantStage: StageFactory = (config, context): CompiledStage => {
  const cfg = ConfigReader.of(config, context.path, 'tenant', ['label', 'source', 'value']);
  const label = cfg.string('label') ?? '';
  const source = cfg.string('source') ?? '';
  const value = cfg.weakString('value') ?? '';
  const set = [label, source, value].filter((s) => s !== '').length;
  if (set === 0)
    throw new StageConfigError(
      context.path,
      'label, source or value config are required',
      'set one of label (a label to read), source (an extracted value) or value (a fixed tenant)',
    );
  if (set > 1)
    throw new StageConfigError(
      context.path,
      'label, source and value are mutually exclusive',
      'set only one of label, source or value',
    );
  const tenantOf = (labels: Record<string, string>, extracted: Record<string, unknown>): string => {
    if (source !== '')
      return Object.hasOwn(extracted, source) ? (promtailString(extracted[source]) ?? '') : '';
    if (label !== '') return labels[label] ?? '';
    return value;
  };
  return {
    name: 'tenant',
    create: () => ({
      process(entry, out) {
        const tenant = tenantOf(entry.labels, entry.extracted);
        if (tenant !== '') entry.labels[TENANT_LABEL] = tenant;
        out.output(entry);
      },
    }),
  };
};
