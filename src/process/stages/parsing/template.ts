/**
 * Promtail's `template` stage: a Go template run over the extracted values
 * (as strings), `.Value` (the value of `source`) and `.Entry` (the line);
 * its output becomes extracted `source`, or removes it when empty. A
 * template whose execution fails leaves the entry as it was.
 */
import type { CompiledStage, StageCompileContext } from '../types.js';
import { optionalString, readBlock, requiredString } from './config.js';
import { extractedString } from './extracted.js';
import { compileTemplate, templateData } from './template-data.js';

export function templateStage(config: unknown, context: StageCompileContext): CompiledStage {
  const path = context.path;
  const block = readBlock(config, path, ['source', 'template']);
  const source = requiredString(block, 'source', path, 'the extracted value the template sets');
  const template = compileTemplate(
    optionalString(block, 'template', path) ?? '',
    `${path}.template`,
  );
  return {
    name: 'template',
    create() {
      return {
        process(entry, out) {
          const data = templateData(entry);
          if (Object.hasOwn(entry.extracted, source)) {
            const value = extractedString(entry.extracted[source]);
            if (value !== undefined) data['Value'] = value;
          }
          data['Entry'] = entry.line;
          const result = template.execute(data);
          if (result === '') delete entry.extracted[source];
          else if (result !== undefined) entry.extracted[source] = result;
          out.output(entry);
        },
      };
    },
  };
}
