/**
 * `static_labels`: fixed labels on every entry. As in Promtail, the name may
 * be any UTF-8 text (not only legacy names), and an empty value sets nothing.
 */
import { StageConfigError, type CompiledStage, type StageFactory } from '../types.js';
import { isRecord, isValidUtf8 } from './values.js';

export const staticLabelsStage: StageFactory = (config, context): CompiledStage => {
  if (!isRecord(config) || Object.keys(config).length === 0)
    throw new StageConfigError(
      context.path,
      'static_labels stage config cannot be empty',
      'map label names to values, e.g. "static_labels: {env: prod}"',
    );
  const labels: [string, string][] = [];
  for (const [name, value] of Object.entries(config)) {
    const at = `${context.path}.${name}`;
    if (name === '' || !isValidUtf8(name))
      throw new StageConfigError(
        at,
        `invalid label name: ${name}`,
        'a label name must not be empty',
      );
    if (value === null || value === undefined || value === '') continue;
    if (typeof value !== 'string')
      throw new StageConfigError(
        at,
        'must be a string',
        `write the value as quoted text, e.g. ${name}: "${JSON.stringify(value)}"`,
      );
    if (!isValidUtf8(value))
      throw new StageConfigError(at, 'is not valid UTF-8', 'write the value as UTF-8 text');
    labels.push([name, value]);
  }
  return {
    name: 'static_labels',
    create: () => ({
      process(entry, out) {
        for (const [name, value] of labels) entry.labels[name] = value;
        out.output(entry);
      },
    }),
  };
};
