/**
 * The IAM permissions of the agent's other signed calls, in the style of
 * log-sinks.ts: Amazon Managed Service for Prometheus (remote_write, and
 * queries where something queries), API Gateway (signed scrapes), and STS
 * (each role a destination assumes). Resource ARNs follow the Service
 * Authorization Reference; what a URL cannot tell (an API id behind a custom
 * domain, say) becomes the narrowest wildcard, and the caller is told.
 */
import { partitionOf } from '../endpoints.js';
import type { Permission } from './log-sinks.js';

/** What an AMP URL names; `region` only when the host is AMP's own. */
export interface AmpWorkspaceRef {
  readonly workspaceId: string;
  readonly region: string | undefined;
}

/** `…/workspaces/<ws-id>/api/v1/…` on `aps-workspaces.<region>.amazonaws.com` (or any host that serves the path). */
export function ampWorkspaceOf(url: string): AmpWorkspaceRef | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const id = /^\/workspaces\/([^/]+)\//.exec(parsed.pathname)?.[1];
  if (id === undefined) return undefined;
  const region = /^aps-workspaces(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(
    parsed.hostname,
  )?.[1];
  return { workspaceId: decodeURIComponent(id), region };
}

export interface AmpUse {
  readonly region: string;
  /** `*` when no one could tell. */
  readonly account: string;
  readonly workspaceId: string;
  /** Whether anything in the config queries the workspace (nothing does today). */
  readonly queried: boolean;
}

const workspaceArn = (u: AmpUse): string =>
  `arn:${partitionOf(u.region)}:aps:${u.region}:${u.account}:workspace/${u.workspaceId}`;

/** `aps:RemoteWrite` on the workspace, `aps:QueryMetrics` only where it is queried. */
export function ampPermissions(use: AmpUse): readonly Permission[] {
  const arn = workspaceArn(use);
  const write: Permission = {
    action: 'aps:RemoteWrite',
    resources: [arn],
    why: 'remote_write samples to the workspace',
  };
  if (!use.queried) return [write];
  return [write, { action: 'aps:QueryMetrics', resources: [arn], why: 'query the workspace' }];
}

/** What an execute-api URL names; undefined parts could not be read from it. */
export interface ExecuteApiRef {
  readonly apiId: string | undefined;
  readonly region: string | undefined;
  readonly stage: string | undefined;
  /** The path after the stage, without its leading `/`. */
  readonly path: string;
}

/**
 * `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>/<path>`; any
 * other host (a custom domain, a stand-in) leaves the API id and stage unknown.
 */
export function executeApiOf(url: string): ExecuteApiRef | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const m = /^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(
    parsed.hostname,
  );
  const path = parsed.pathname.replace(/^\/+/, '');
  if (!m) return { apiId: undefined, region: undefined, stage: undefined, path };
  const slash = path.indexOf('/');
  return {
    apiId: m[1],
    region: m[2],
    stage: slash < 0 ? path : path.slice(0, slash),
    path: slash < 0 ? '' : path.slice(slash + 1),
  };
}

export interface ExecuteApiUse {
  readonly region: string;
  readonly account: string;
  readonly apiId: string | undefined;
  readonly stage: string | undefined;
  readonly method: string;
  readonly path: string;
}

/** `execute-api:Invoke` on `arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>`. */
export function executeApiPermission(use: ExecuteApiUse): Permission {
  const route = `${use.apiId ?? '*'}/${use.stage ?? '*'}/${use.method}/${use.path}`;
  return {
    action: 'execute-api:Invoke',
    resources: [`arn:${partitionOf(use.region)}:execute-api:${use.region}:${use.account}:${route}`],
    why: 'scrape the signed target',
  };
}

/** `sts:AssumeRole` on the role, with the `sts:ExternalId` condition when an external id is set. */
export function assumeRolePermission(roleArn: string, externalId: string | undefined): Permission {
  return {
    action: 'sts:AssumeRole',
    resources: [roleArn],
    why: 'assume the role the config names',
    ...(externalId !== undefined
      ? { condition: { StringEquals: { 'sts:ExternalId': externalId } } }
      : {}),
  };
}

/** The account a role ARN names (`arn:aws:iam::<account>:role/…`). */
export function accountOfArn(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}
