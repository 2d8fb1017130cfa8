/**
 * Promtail's `output` stage: the extracted value `source` becomes the log
 * line. A missing or unconvertible value leaves the line as it was.
 */
import type { CompiledStage, StageCompileContext } from '../types.js';
import { readBlock, requiredString } from './config.js';
import { extractedString } from './extracted.js';

export function outputStage(config: unknown, context: StageCompileContext): CompiledStage {
  const path = context.path;
  const block = readBlock(config, path, ['source']);
  const source = requiredString(block, 'source', path, 'the extracted value to make the log line');
  return {
    name: 'output',
    create() {
      return {
        process(entry, out) {
          if (Object.hasOwn(entry.extracted, source)) {
            const line = extractedString(entry.extracted[source]);
            if (line !== undefined) entry.line = line;
          }
          out.output(entry);
        },
      };
    },
  };
}
