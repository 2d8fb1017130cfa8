/**
 * Walks the zod schema alongside a key path, for what zod does not say by
 * itself: which keys a mapping may hold ("did you mean") and which keys are
 * accepted only to be reported as not implemented.
 */
import type { z } from 'zod';
import { notImplemented } from './values.js';

type AnySchema = z.ZodType;

interface Def {
  readonly type: string;
  readonly innerType?: AnySchema;
  readonly element?: AnySchema;
  readonly shape?: Readonly<Record<string, AnySchema>>;
  readonly in?: AnySchema;
  readonly valueType?: AnySchema;
}

function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Strips optional, default, prefault, nullable and pipes down to the structural schema. */
function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (let i = 0; i < 10; i++) {
    const def = defOf(current);
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else break;
  }
  return current;
}

export function schemaAt(root: AnySchema, path: readonly PropertyKey[]): AnySchema | undefined {
  let current: AnySchema | undefined = root;
  for (const segment of path) {
    if (!current) return undefined;
    const def = defOf(unwrap(current));
    if (def.type === 'array' && typeof segment === 'number') current = def.element;
    else if (def.type === 'object' && def.shape) current = def.shape[String(segment)];
    else if (def.type === 'record') current = def.valueType;
    else return undefined;
  }
  return current;
}

export function keysAt(root: AnySchema, path: readonly PropertyKey[]): string[] | undefined {
  const schema = schemaAt(root, path);
  if (!schema) return undefined;
  const def = defOf(unwrap(schema));
  return def.type === 'object' && def.shape
    ? Object.keys(def.shape).filter((k) => def.shape![k] !== notImplemented)
    : undefined;
}

/** Paths in `data` whose schema is `notImplemented` and which hold a value. */
export function unimplementedPaths(root: AnySchema, data: unknown): PropertyKey[][] {
  const out: PropertyKey[][] = [];
  const visit = (schema: AnySchema | undefined, value: unknown, path: PropertyKey[]): void => {
    if (!schema || value === undefined) return;
    if (schema === notImplemented) {
      out.push(path);
      return;
    }
    const def = defOf(unwrap(schema));
    if (def.type === 'object' && def.shape && typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) visit(def.shape[k], v, [...path, k]);
    } else if (def.type === 'array' && def.element && Array.isArray(value)) {
      value.forEach((v, i) => visit(def.element, v, [...path, i]));
    }
  };
  visit(root, data, []);
  return out;
}

/** A key the schema accepts, for checks over the whole schema (e.g. that code reads it). */
export interface SchemaLeaf {
  /** e.g. `metrics.configs[].remote_write[].tls_config.ca_file`. */
  readonly path: string;
  readonly key: string;
  /** Accepted only to be reported as not implemented. */
  readonly notImplemented: boolean;
}

/**
 * Every key whose value is not itself a mapping of known keys (a list of
 * mappings is walked into). A mapping met again under another path (the
 * shared HTTP client keys, remote_write under global and under an instance)
 * is listed once, at the first path it is met.
 */
export function schemaLeaves(root: AnySchema): SchemaLeaf[] {
  const out: SchemaLeaf[] = [];
  const seen = new Set<AnySchema>();
  const visit = (schema: AnySchema, path: string): void => {
    const structure = unwrap(schema);
    const def = defOf(structure);
    if (def.type === 'array' && def.element) return visit(def.element, `${path}[]`);
    if (def.type !== 'object' || !def.shape || seen.has(structure)) return;
    seen.add(structure);
    for (const [key, child] of Object.entries(def.shape)) {
      const at = path ? `${path}.${key}` : key;
      const inner = defOf(unwrap(child));
      const element = inner.type === 'array' && inner.element ? inner.element : undefined;
      const structural =
        (inner.type === 'object' && inner.shape !== undefined) ||
        (element !== undefined && defOf(unwrap(element)).type === 'object');
      if (child !== notImplemented && structural) visit(child, at);
      else out.push({ path: at, key, notImplemented: child === notImplemented });
    }
  };
  visit(root, '');
  return out;
}
