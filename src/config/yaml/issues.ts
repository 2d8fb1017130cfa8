/**
 * Translates zod's issues into ConfigIssues a person can act on: a union's
 * failure becomes the failure of the branch the value was meant for, a missing
 * key says so, and every issue carries a hint on what to write instead.
 */
import type { z } from 'zod';
import type { ConfigIssue } from './config-error.js';
import { closest } from './did-you-mean.js';

type Issue = z.core.$ZodIssue;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function hintOf(issue: Issue): string | undefined {
  const params: unknown = 'params' in issue ? issue.params : undefined;
  if (params && typeof params === 'object' && 'hint' in params && typeof params.hint === 'string') {
    return params.hint;
  }
  return undefined;
}

/** The zod issues of a union branch the value plainly was not meant for: wrong type at its root. */
function isTypeMiss(branch: readonly Issue[]): boolean {
  return branch.every((i) => i.code === 'invalid_type' && i.path.length === 0);
}

/** zod's type names as a config author would say them, with their article. */
const TYPE_NAMES: Record<string, string> = {
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

/** Shown after a complaint: scalars are worth quoting back, structures are not. */
function notValue(value: unknown): string {
  return typeof value === 'object' && value !== null ? '' : `, not ${describe(value)}`;
}

function isScalar(value: unknown): value is number | boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

/** The keys a mapping at `path` may hold, for "did you mean"; undefined when unknown. */
export type KnownKeys = (path: readonly PropertyKey[]) => readonly string[] | undefined;

function translate(
  issue: Issue,
  base: readonly PropertyKey[],
  data: unknown,
  known: KnownKeys | undefined,
): ConfigIssue[] {
  const path = [...base, ...issue.path];
  const value = valueAt(data, path);
  const hint = hintOf(issue);
  const key = String(path.at(-1) ?? 'it');
  switch (issue.code) {
    case 'invalid_union': {
      const meant = issue.errors.find((b) => !isTypeMiss(b));
      if (meant) return meant.flatMap((i) => translate(i, path, data, known));
      const expected = issue.errors.flatMap((b) =>
        b.map((i) => typeName(i.code === 'invalid_type' ? i.expected : '?')),
      );
      const either = expected.join(' or ');
      return [
        { path, message: `expected ${either}, got ${describe(value)}`, hint: `write ${either}` },
      ];
    }
    case 'unrecognized_keys':
      return issue.keys.map((k) => {
        const near = closest(k, known?.(path) ?? []);
        return {
          path: [...path, k],
          message: near ? `unknown key '${k}', did you mean '${near}'?` : `unknown key '${k}'`,
          atKey: true,
          hint: near
            ? `rename it to ${near}`
            : 'remove it or fix its spelling (keys are snake_case, e.g. access_key_id)',
        };
      });
    case 'invalid_type': {
      const expected = typeName(issue.expected);
      if (value === undefined)
        return [{ path, message: 'is required', hint: `add ${key}: with ${expected}` }];
      const quote = issue.expected === 'string' && isScalar(value);
      return [
        {
          path,
          message: `expected ${expected}, got ${describe(value)}`,
          hint: quote ? `quote it: '${String(value)}'` : `write ${expected}`,
        },
      ];
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => String(v)).join(', ');
      if (value === undefined)
        return [{ path, message: 'is required', hint: `add ${key}: with one of ${options}` }];
      return [
        {
          path,
          message: `must be one of ${options}${notValue(value)}`,
          hint: hint ?? 'values are case-sensitive',
        },
      ];
    }
    case 'invalid_format':
    case 'custom':
      return [
        { path, message: `${issue.message}${notValue(value)}`, hint: hint ?? 'fix the value' },
      ];
    default:
      return [{ path, message: issue.message, hint: hint ?? 'fix the value' }];
  }
}

/** ConfigIssues for zod's issues about `data`. */
export function translateIssues(
  issues: readonly Issue[],
  data: unknown,
  known?: KnownKeys,
): ConfigIssue[] {
  return issues.flatMap((issue) => translate(issue, [], data, known));
}

/** `roles[0].trust.external_id`; keys that are not plain words are quoted: `execute_api['/metrics']`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const name = String(segment);
      if (!/^[A-Za-z_][\w-]*$/.test(name)) return `['${name}']`;
      return `${i ? '.' : ''}${name}`;
    })
    .join('');
}

/** The inverse of formatKeyPath: `a.b[0]['/x']` back to `['a', 'b', 0, '/x']`. */
export function parseKeyPath(text: string): PropertyKey[] {
  const out: PropertyKey[] = [];
  const token = /\[(\d+)\]|\['([^']*)'\]|\.?([^.[\]]+)/y;
  while (token.lastIndex < text.length) {
    const m = token.exec(text);
    if (!m) break;
    out.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3]!));
  }
  return out;
}
