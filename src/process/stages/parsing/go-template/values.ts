/** Values and failures while running a template, shared by the built-ins and the Sprig functions. */

/** A template value; undefined is Go's "no value" (a missing map key). */
export type Value = string | number | boolean | null | undefined;
export type Data = Readonly<Record<string, string>>;

export class ExecError extends Error {}

export function str(v: Value, fn: string): string {
  if (typeof v !== 'string')
    throw new ExecError(`${fn}: expected a string, got ${v === undefined ? 'no value' : typeof v}`);
  return v;
}

export function truth(v: Value): boolean {
  return v !== undefined && v !== null && v !== false && v !== '' && v !== 0;
}

export type TemplateFunction = (args: Value[]) => Value;
