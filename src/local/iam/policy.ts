/**
 * IAM policy evaluation for identity policies: an explicit Deny wins, else any
 * Allow, else the implicit deny. Actions match case-insensitively; resources
 * match ARN segment by segment, as IAM does, with `*` and `?` wildcards.
 */
import type { Statement } from '../config/types.js';

export type { Statement } from '../config/types.js';

export interface PolicyDecision {
  readonly allowed: boolean;
  /** Which statement decided, for the request log and error hints. */
  readonly reason: string;
}

const compiled = new Map<string, RegExp>();

/** A wildcard pattern as an anchored regex; patterns come from the config, so the cache stays small. */
function glob(pattern: string, flags: string): RegExp {
  const key = `${flags}/${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) =>
      c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`,
    );
    re = new RegExp(`^${body}$`, `s${flags}`);
    compiled.set(key, re);
  }
  return re;
}

/** A case-sensitive match of `value` against a pattern with `*` and `?`. */
export function wildcardMatch(pattern: string, value: string): boolean {
  return glob(pattern, '').test(value);
}

export function actionMatches(pattern: string, action: string): boolean {
  return pattern === '*' || glob(pattern, 'i').test(action);
}

/** ARNs have six parts: arn:partition:service:region:account:resource (the last may hold colons). */
function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** A wildcard in one ARN part does not reach into the next, as in IAM; the resource part may span colons. */
export function resourceMatches(pattern: string, resource: string): boolean {
  if (pattern === '*') return true;
  const p = arnParts(pattern);
  const r = arnParts(resource);
  if (!p || !r) return glob(pattern, '').test(resource);
  return p.every((part, i) => glob(part, '').test(r[i] ?? ''));
}

function applies(s: Statement, action: string, resource: string): boolean {
  return (
    s.actions.some((a) => actionMatches(a, action)) &&
    s.resources.some((r) => resourceMatches(r, resource))
  );
}

function label(s: Statement, index: number): string {
  return s.sid ? `statement ${index} (${s.sid})` : `statement ${index}`;
}

/** Whether `statements` allow `action` on `resource`. */
export function isAllowed(
  statements: readonly Statement[],
  action: string,
  resource: string,
): PolicyDecision {
  // AWS answers GetCallerIdentity even when a policy explicitly denies it.
  if (action.toLowerCase() === 'sts:getcalleridentity') {
    return { allowed: true, reason: 'sts:GetCallerIdentity needs no permission' };
  }
  const deny = statements.findIndex((s) => s.effect === 'Deny' && applies(s, action, resource));
  if (deny >= 0) {
    return { allowed: false, reason: `explicitly denied by ${label(statements[deny]!, deny)}` };
  }
  const allow = statements.findIndex((s) => s.effect === 'Allow' && applies(s, action, resource));
  if (allow >= 0)
    return { allowed: true, reason: `allowed by ${label(statements[allow]!, allow)}` };
  return { allowed: false, reason: `no statement allows ${action} on ${resource} (implicit deny)` };
}
