/**
 * Reads `signet local --config FILE`: YAML or JSON (JSON is YAML, so one
 * parser serves both and gives line:column for either), validated by the
 * schema, cross-checked, and built into a LocalConfig.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { buildConfig, checkReferences, type ConfigIssue } from './build.js';
import { LocalConfigError, type ConfigProblem } from './config-error.js';
import { formatKeyPath, translateIssues } from './issues.js';
import { locate } from './locate.js';
import { fileSchema } from './schema.js';
import type { LocalConfig } from './types.js';

/** yaml's messages end with ` at line L, column C:` and a source excerpt, which ConfigProblem carries apart. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/** Parses and validates config text; `file` only names it in errors. */
export function parseLocalConfig(text: string, file: string): LocalConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length) {
    throw new LocalConfigError(
      file,
      doc.errors.map((e) => ({
        ...(e.linePos ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}),
        keyPath: '',
        message: firstLine(e.message),
        hint: 'fix the YAML/JSON syntax here',
      })),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) {
    throw new LocalConfigError(file, [
      {
        keyPath: '',
        message: 'is empty',
        hint: 'describe principals:, roles: and the rest, or leave out --config for the demo principal',
      },
    ]);
  }

  const toProblems = (issues: readonly ConfigIssue[]): ConfigProblem[] =>
    issues.map((issue) => {
      const at = locate(doc, lines, issue.path, issue.atKey ?? false);
      return {
        ...(at ? { line: at.line, column: at.column } : {}),
        keyPath: formatKeyPath(issue.path),
        message: issue.message,
        hint: issue.hint ?? 'fix the value',
      };
    });

  const parsed = fileSchema.safeParse(data);
  if (!parsed.success)
    throw new LocalConfigError(file, toProblems(translateIssues(parsed.error.issues, data)));
  const references = checkReferences(parsed.data);
  if (references.length) throw new LocalConfigError(file, toProblems(references));
  return buildConfig(parsed.data);
}

/** Reads and validates the file `--config` names. */
export function loadLocalConfig(path: string): LocalConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new LocalConfigError(path, [
      {
        keyPath: '',
        message: `cannot read the config file (${code})`,
        hint: 'check the path given to --config',
      },
    ]);
  }
  return parseLocalConfig(text, path);
}
