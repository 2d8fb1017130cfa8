/**
 * Grafana Agent's `-config.expand-env`: `${VAR}`, `${VAR:-default}`, `$VAR`,
 * and `$$` for a literal `$`, over the whole file before it is parsed. Signet
 * adds what Grafana Agent leaves silent: a variable that is not set and has no
 * default is an error (it would otherwise become an empty string, and a URL
 * like `http://${HOST}/…` would quietly become `http:///…`), and a value
 * holding `${VAR}` while expansion is off is pointed out.
 */
import { ConfigFileError } from '../yaml/config-error.js';
import { parseYamlFile, type LocatedDocument } from '../yaml/document.js';
import { formatKeyPath } from '../yaml/issues.js';
import { pathAtOffset } from '../yaml/locate.js';

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** `${NAME}` or `${NAME:-default}` as Grafana Agent would expand it. */
export const BRACED_REFERENCE = /\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}/;

export const EXPAND_ENV_HINT =
  'this is an environment reference, but -config.expand-env is off so it is taken as written: run with -config.expand-env';

export function expandEnv(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(REFERENCE, (match, braced?: string, fallback?: string, bare?: string) => {
    if (match === '$$') return '$';
    const value = env[braced ?? bare ?? ''];
    return value === undefined || value === '' ? (fallback ?? '') : value;
  });
}

export interface UnsetReference {
  readonly name: string;
  /** As written, e.g. `${HOST}`. */
  readonly written: string;
  readonly offset: number;
}

/** Whether `offset` sits in a YAML comment: after `#` at a line's start or after a space, outside quotes. */
function inComment(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  if (/^\s*#/.test(before)) return true;
  return !/['"]/.test(before) && /\s#/.test(before);
}

/** References with no value and no default, outside comments, in file order. */
export function unsetReferences(text: string, env: NodeJS.ProcessEnv): UnsetReference[] {
  const out: UnsetReference[] = [];
  for (const m of text.matchAll(REFERENCE)) {
    const name = m[1] ?? m[3];
    if (!name || m[2] !== undefined || env[name] !== undefined) continue;
    if (inComment(text, m.index)) continue;
    out.push({ name, written: m[0], offset: m.index });
  }
  return out;
}

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Paths of string values that hold `${…}`, for a warning when expansion is
 * off. Relabel rules are left out: `${name}` there is a capture group.
 */
export function envReferencePaths(data: unknown, path: PropertyKey[] = []): PropertyKey[][] {
  if (typeof data === 'string') return BRACED_REFERENCE.test(data) ? [path] : [];
  if (Array.isArray(data)) return data.flatMap((v, i) => envReferencePaths(v, [...path, i]));
  if (data !== null && typeof data === 'object')
    return Object.entries(data).flatMap(([k, v]) =>
      k.endsWith('relabel_configs') ? [] : envReferencePaths(v, [...path, k]),
    );
  return [];
}

/** `${VAR}` with nothing set and no default, each located in the file as written. */
export function refuseUnsetVariables(text: string, file: string, env: NodeJS.ProcessEnv): void {
  const unset = unsetReferences(text, env);
  if (unset.length === 0) return;
  let raw: LocatedDocument | undefined;
  try {
    raw = parseYamlFile(text, file);
  } catch {
    // The text may only become YAML once expanded; the line and column still say where.
  }
  throw new ConfigFileError(
    file,
    unset.map((u) => ({
      ...lineColumn(text, u.offset),
      keyPath: raw ? formatKeyPath(pathAtOffset(raw.doc, u.offset)) : '',
      message: `${u.written}: ${u.name} is not set in the environment and has no default`,
      hint: `set ${u.name}, or give a default: \${${u.name}:-value} (write $$ for a literal $)`,
    })),
  );
}
