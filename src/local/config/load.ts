/**
 * Reads `signet local --config FILE`: YAML or JSON (JSON is YAML, so one
 * parser serves both and gives line:column for either), validated by the
 * schema, cross-checked, and built into a LocalConfig.
 */
import { readFileSync } from 'node:fs';
import { ConfigFileError } from '../../config/yaml/config-error.js';
import { locateIssues, parseYamlFile, type LocatedDocument } from '../../config/yaml/document.js';
import { translateIssues } from '../../config/yaml/issues.js';
import { buildConfig, checkReferences } from './build.js';
import { LocalConfigError } from './config-error.js';
import { fileSchema } from './schema.js';
import type { LocalConfig } from './types.js';

/** The document, or a syntax error as signet local's own error type. */
function parseYaml(text: string, file: string): LocatedDocument {
  try {
    return parseYamlFile(text, file);
  } catch (error) {
    if (error instanceof ConfigFileError) throw new LocalConfigError(file, error.problems);
    throw error;
  }
}

/** Parses and validates config text; `file` only names it in errors. */
export function parseLocalConfig(text: string, file: string): LocalConfig {
  const located = parseYaml(text, file);
  if (located.data === null || located.data === undefined) {
    throw new LocalConfigError(file, [
      {
        keyPath: '',
        message: 'is empty',
        hint: 'describe principals:, roles: and the rest, or leave out --config for the demo principal',
      },
    ]);
  }
  const parsed = fileSchema.safeParse(located.data);
  if (!parsed.success) {
    const issues = translateIssues(parsed.error.issues, located.data);
    throw new LocalConfigError(file, locateIssues(located, issues));
  }
  const references = checkReferences(parsed.data);
  if (references.length) throw new LocalConfigError(file, locateIssues(located, references));
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
