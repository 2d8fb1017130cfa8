/**
 * A YAML file parsed with positions kept, so every later check can point at
 * `file:line:column`.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigFileError, type ConfigIssue, type ConfigProblem } from './config-error.js';
import { formatKeyPath } from './issues.js';
import { locate } from './locate.js';

export interface LocatedDocument {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly data: unknown;
}

/** yaml's messages end with ` at line L, column C:` and an excerpt, which ConfigProblem carries apart. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

export function parseYamlFile(text: string, file: string): LocatedDocument {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length) {
    throw new ConfigFileError(
      file,
      doc.errors.map((e) => ({
        ...(e.linePos ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}),
        keyPath: '',
        message: firstLine(e.message),
        hint: 'fix the YAML syntax here',
      })),
    );
  }
  return { file, doc, lines, data: doc.toJS({ maxAliasCount: 100 }) as unknown };
}

export function locateIssues(
  located: LocatedDocument,
  issues: readonly ConfigIssue[],
): ConfigProblem[] {
  return issues.map((issue) => {
    const at = locate(located.doc, located.lines, issue.path, issue.atKey ?? false);
    return {
      ...(at ? { line: at.line, column: at.column } : {}),
      keyPath: formatKeyPath(issue.path),
      message: issue.message,
      hint: issue.hint ?? 'fix the value',
    };
  });
}
