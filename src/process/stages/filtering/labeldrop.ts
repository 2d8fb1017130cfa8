/** `labeldrop` and `labelallow`: a list of label names to remove, or the only ones to keep. */
import { StageConfigError, type CompiledStage, type StageFactory } from '../types.js';
import { stringList } from './values.js';

function readNames(config: unknown, path: string, stage: string): string[] {
  const names = Array.isArray(config) ? stringList(config, path) : undefined;
  if (names === undefined || names.length === 0)
    throw new StageConfigError(
      path,
      `${stage} stage config cannot be empty`,
      `list the label names, e.g. "${stage}: [filename, pod]"`,
    );
  return names;
}

export const labelDropStage: StageFactory = (config, context): CompiledStage => {
  const names = readNames(config, context.path, 'labeldrop');
  return {
    name: 'labeldrop',
    create: () => ({
      process(entry, out) {
        for (const name of names) delete entry.labels[name];
        out.output(entry);
      },
    }),
  };
};

export const labelAllowStage: StageFactory = (config, context): CompiledStage => {
  const allowed = new Set(readNames(config, context.path, 'labelallow'));
  return {
    name: 'labelallow',
    create: () => ({
      process(entry, out) {
        for (const name of Object.keys(entry.labels)) {
          if (!allowed.has(name)) delete entry.labels[name];
        }
        out.output(entry);
      },
    }),
  };
};
