/**
 * The environment as the credential chain and endpoint resolution read it.
 * Passed in rather than read from `process.env`, so tests and several
 * destinations in one process never disturb each other.
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** A variable's value, or undefined when unset or blank (the SDKs treat blank as unset). */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** `true`/`1` (any case) → true, as the SDKs read boolean variables. */
export function envFlag(env: Env, name: string): boolean {
  const value = envValue(env, name)?.toLowerCase();
  return value === 'true' || value === '1';
}
