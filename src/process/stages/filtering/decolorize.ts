/**
 * `decolorize`: removes ANSI escape sequences (colours, cursor moves) from the
 * line, with the pattern Loki's decolorizer uses (from acarl005/stripansi).
 * It is pure ASCII, so JavaScript's engine runs it as Go's does.
 */
import { StageConfigError, type CompiledStage, type StageFactory } from '../types.js';
import { isRecord } from './values.js';

const ANSI =
  // eslint-disable-next-line no-control-regex
  /[\u001b\u009b][[\]()#;?]*(?:(?:(?:[a-zA-Z\d]*(?:;[a-zA-Z\d]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PRZcf-ntqry=><~]))/g;

/** The line without its ANSI escape sequences. */
export function decolorize(line: string): string {
  // Most lines have no escape at all; skip the replace for them.
  if (!line.includes('\u001b') && !line.includes('\u009b')) return line;
  return line.replace(ANSI, '');
}

export const decolorizeStage: StageFactory = (config, context): CompiledStage => {
  if (!isRecord(config) || Object.keys(config).length > 0)
    throw new StageConfigError(
      context.path,
      'takes no options',
      'write "- decolorize: {}" (or "- decolorize:" with nothing after it)',
    );
  return {
    name: 'decolorize',
    create: () => ({
      process(entry, out) {
        entry.line = decolorize(entry.line);
        out.output(entry);
      },
    }),
  };
};
