/**
 * Compiling a Go template setting and building the data Promtail gives it:
 * every extracted value that converts to a string, under its name.
 */
import { StageConfigError, type StageEntry } from '../types.js';
import { GoTemplate, TEMPLATE_FUNCTIONS, isTemplateSyntaxError } from './go-template/index.js';
import { extractedString } from './extracted.js';

export function compileTemplate(text: string, at: string): GoTemplate {
  try {
    return new GoTemplate(text);
  } catch (err) {
    if (isTemplateSyntaxError(err))
      throw new StageConfigError(
        at,
        `template: ${err.message}`,
        `Signet runs Go's text/template with fields (.Value, .name), pipelines, if/else/end and the functions ${TEMPLATE_FUNCTIONS.join(', ')}`,
        err,
      );
    throw err;
  }
}

/** The extracted values as template data: each one that converts to a string. */
export function templateData(entry: StageEntry): Record<string, string> {
  const data: Record<string, string> = {};
  for (const name in entry.extracted) {
    const text = extractedString(entry.extracted[name]);
    if (text !== undefined) data[name] = text;
  }
  return data;
}
