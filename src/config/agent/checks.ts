/**
 * Checks of a scrape job or remote_write that zod's schema cannot make: the
 * relabel rules compiled as the agent will compile them, static targets that
 * would silently never be scraped, and signed blocks whose region must be
 * found in the environment.
 */
import { accessSync, constants } from 'node:fs';
import { inferEndpoint } from '../../aws/endpoints.js';
import { compileRelabelConfigs, RelabelConfigError } from '../../process/relabel/index.js';
import type { ConfigIssue } from '../yaml/config-error.js';
import { formatKeyPath, parseKeyPath } from '../yaml/issues.js';
import { BRACED_REFERENCE, EXPAND_ENV_HINT } from './env.js';

/** Compiles a relabel list exactly as the agent will, so a rule it would refuse is refused now. */
export function checkRelabel(
  list: readonly unknown[],
  path: PropertyKey[],
  issues: ConfigIssue[],
): void {
  try {
    compileRelabelConfigs(list, formatKeyPath(path));
  } catch (error) {
    if (!(error instanceof RelabelConfigError)) throw error;
    issues.push({
      path: parseKeyPath(error.path),
      message: error.message.slice(error.path.length + 2),
      hint: error.hint ?? 'fix the rule',
    });
  }
}

/** A URL written where Prometheus wants `host:port`: the parts, to say where each goes. */
function splitUrl(target: string): { host: string; scheme?: string; path?: string } | undefined {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?([^/?#\s]*)(\/[^?#\s]*)?/.exec(target);
  if (!m?.[2]) return undefined;
  return { host: m[2], ...(m[1] ? { scheme: m[1] } : {}), ...(m[3] ? { path: m[3] } : {}) };
}

function targetIssue(
  target: string,
  path: PropertyKey[],
  expandEnvOn: boolean,
): ConfigIssue | undefined {
  if (target === '')
    return { path, message: 'is an empty target', hint: 'write host:port, or remove the entry' };
  if (!expandEnvOn && BRACED_REFERENCE.test(target))
    return { path, message: `'${target}' is not host:port`, hint: EXPAND_ENV_HINT };
  if (/\s/.test(target))
    return {
      path,
      message: `'${target}' contains a space; a target is one host:port`,
      hint: 'write each target as its own list item: targets: [host-a:9100, host-b:9100]',
    };
  if (/[/?#]/.test(target)) {
    const parts = splitUrl(target);
    const where = [
      parts?.scheme ? `scheme: ${parts.scheme}` : undefined,
      parts?.path ? `metrics_path: ${parts.path}` : undefined,
    ].filter(Boolean);
    return {
      path,
      message: `'${target}' is a URL, not host:port, so nothing would be scraped from it`,
      hint: `write \`${parts?.host || 'host:port'}\`; put the scheme in \`scheme:\` and the path in \`metrics_path:\`${where.length ? ` (here ${where.join(', ')})` : ''}`,
    };
  }
  if (/[@,${}]/.test(target))
    return {
      path,
      message: `'${target}' is not host:port`,
      hint: target.includes(',')
        ? 'write each target as its own list item: targets: [host-a:9100, host-b:9100]'
        : 'write host:port, e.g. localhost:9100; credentials go in basic_auth',
    };
  return undefined;
}

export function checkStaticTargets(
  groups: readonly { readonly targets: readonly string[] }[],
  path: PropertyKey[],
  expandEnvOn: boolean,
  issues: ConfigIssue[],
): void {
  groups.forEach((group, g) =>
    group.targets.forEach((target, t) => {
      const issue = targetIssue(target, [...path, g, 'targets', t], expandEnvOn);
      if (issue) issues.push(issue);
    }),
  );
}

/**
 * A signed block that gives no region and whose host names none: the region
 * must come from the environment, the profile or IMDS, checked (without
 * starting anything) by validateAgentConfig.
 */
export interface RegionNeed {
  readonly path: readonly PropertyKey[];
  /** The host that names no region, for the message. */
  readonly host: string;
  readonly profile: string | undefined;
}

export function hostNamesRegion(host: string): boolean {
  const name = host.replace(/^\[(.*)\](:\d+)?$/, '$1').replace(/:\d+$/, '');
  return inferEndpoint(name)?.region !== undefined;
}

/** A remote_write URL whose host cannot be a host (an unexpanded `${VAR}`, say) would only fail to resolve. */
export function checkUrlHost(url: string, path: PropertyKey[], issues: ConfigIssue[]): void {
  const host = new URL(url).hostname;
  if (!/[${}]/.test(host)) return;
  issues.push({
    path,
    message: `'${url}' has '${host}' for a host, which no name resolves to`,
    hint: BRACED_REFERENCE.test(url)
      ? EXPAND_ENV_HINT
      : 'write the host name or address of the endpoint',
  });
}

/** The keys whose value is a file the agent reads when a job or queue starts (or on every scrape). */
const FILE_KEYS: readonly (readonly string[])[] = [
  ['basic_auth', 'password_file'],
  ['authorization', 'credentials_file'],
  ['bearer_token_file'],
  ['tls_config', 'ca_file'],
  ['tls_config', 'cert_file'],
  ['tls_config', 'key_file'],
];

/**
 * A file named in a scrape job or remote_write that cannot be read would stop
 * the agent as it starts (or fail every scrape), so it is refused here.
 */
export function checkReadableFiles(
  block: object,
  path: PropertyKey[],
  issues: ConfigIssue[],
): void {
  for (const keys of FILE_KEYS) {
    let value: unknown = block;
    for (const key of keys) value = (value as Record<string, unknown> | undefined)?.[key];
    if (typeof value !== 'string') continue;
    try {
      accessSync(value, constants.R_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      issues.push({
        path: [...path, ...keys],
        message: `'${value}' cannot be read (${code})`,
        hint:
          code === 'ENOENT'
            ? 'check the path; a relative path is taken from the directory Signet runs in'
            : 'let the user Signet runs as read it',
      });
    }
  }
}
