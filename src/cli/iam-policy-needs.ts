/**
 * What `signet iam-policy` reads from a loaded config: every signed call the
 * agent makes (remote_write, signed scrapes, AWS logs clients, the roles it
 * assumes), as permissions from the tables in src/aws/permissions/, each for
 * the principal that makes it — the base credentials, or the last role of a
 * destination's chain. What cannot be known is said in `notes`.
 */
import { runPermissions, type Permission } from '../aws/permissions/log-sinks.js';
import {
  accountOfArn,
  ampPermissions,
  ampWorkspaceOf,
  assumeRolePermission,
  executeApiOf,
  executeApiPermission,
} from '../aws/permissions/signed-endpoints.js';
import type { AwsAuth } from '../config/aws-auth.js';
import type { AgentConfig, LogsClientTarget, RemoteWriteTarget } from '../config/agent/types.js';
import { awsLogsPlace } from '../pipelines/logs/client-options.js';

/** `base`: the credentials the chain finds; otherwise a role ARN. */
export type PrincipalKey = string;
export const BASE = 'base';

export interface Need {
  readonly principal: PrincipalKey;
  readonly permission: Permission;
}

export interface RoleUse {
  readonly roleArn: string;
  readonly externalId: string | undefined;
  /** Who assumes it: `base` or the previous role of a chain. */
  readonly assumedBy: PrincipalKey;
}

export interface Needs {
  readonly needs: Need[];
  readonly roles: RoleUse[];
  readonly notes: string[];
}

export interface NeedsContext {
  /** The base credentials' account (`--account` or GetCallerIdentity); `*` when unknown. */
  readonly account: string;
  /** The region of the environment or profile, for blocks that name none. */
  readonly defaultRegion: string | undefined;
}

/** The principal a destination's calls come from, and the AssumeRole steps that get there. */
function principalOf(aws: AwsAuth | undefined, out: Needs): PrincipalKey {
  let by: PrincipalKey = BASE;
  for (const hop of aws?.spec.roles ?? []) {
    out.needs.push({
      principal: by,
      permission: assumeRolePermission(hop.roleArn, hop.externalId),
    });
    if (!out.roles.some((r) => r.roleArn === hop.roleArn && r.assumedBy === by))
      out.roles.push({ roleArn: hop.roleArn, externalId: hop.externalId, assumedBy: by });
    by = hop.roleArn;
  }
  return by;
}

function accountFor(principal: PrincipalKey, ctx: NeedsContext): string {
  return principal === BASE ? ctx.account : (accountOfArn(principal) ?? ctx.account);
}

function regionOr(region: string | undefined, ctx: NeedsContext, what: string, out: Needs): string {
  const found = region ?? ctx.defaultRegion;
  if (found !== undefined) return found;
  out.notes.push(`${what}: no region in the file or the environment; its ARNs use '*' for it`);
  return '*';
}

function remoteWriteNeeds(target: RemoteWriteTarget, ctx: NeedsContext, out: Needs): void {
  if (!target.aws) return;
  const ws = ampWorkspaceOf(target.file.url);
  const principal = principalOf(target.aws, out);
  if (!ws) {
    out.notes.push(
      `${target.path}: '${target.file.url}' is signed but names no AMP workspace (/workspaces/<id>/): no permission for it is known`,
    );
    return;
  }
  const region = regionOr(ws.region ?? target.aws.region, ctx, target.path, out);
  for (const permission of ampPermissions({
    region,
    account: accountFor(principal, ctx),
    workspaceId: ws.workspaceId,
    queried: false,
  }))
    out.needs.push({ principal, permission });
}

function scrapeNeeds(config: AgentConfig, ctx: NeedsContext, out: Needs): void {
  for (const job of config.instances.flatMap((i) => i.jobs)) {
    if (!job.aws) continue;
    const principal = principalOf(job.aws, out);
    const f = job.file;
    const targets = f.static_configs.flatMap((s) => s.targets);
    if (targets.length === 0)
      out.notes.push(
        `${job.path}: signed scrape targets are discovered, not listed: execute-api:Invoke is granted on every API's ${f.metrics_path}`,
      );
    const urls =
      targets.length > 0 ? targets.map((t) => `${f.scheme}://${t}${f.metrics_path}`) : [];
    const refs = urls.map((u) => executeApiOf(u)!);
    if (refs.length === 0)
      refs.push({ apiId: undefined, region: undefined, stage: undefined, path: f.metrics_path });
    for (const ref of refs) {
      if (ref.apiId === undefined && targets.length > 0)
        out.notes.push(
          `${job.path}: a target is not <api-id>.execute-api.<region>.amazonaws.com: the API id and stage are '*'`,
        );
      out.needs.push({
        principal,
        permission: executeApiPermission({
          region: regionOr(ref.region ?? job.aws.region, ctx, job.path, out),
          account: accountFor(principal, ctx),
          apiId: ref.apiId,
          stage: ref.stage,
          method: 'GET',
          path: ref.path.replace(/^\/+/, ''),
        }),
      });
    }
  }
}

function logsClientNeeds(target: LogsClientTarget, ctx: NeedsContext, out: Needs): void {
  const place = awsLogsPlace(target);
  if (!place) {
    if (target.aws)
      out.notes.push(
        `${target.path}: a signed Loki push to '${target.file.url ?? ''}': no permission for it is known`,
      );
    return;
  }
  const principal = principalOf(target.aws, out);
  const f = target.file;
  const account = accountFor(principal, ctx);
  const region = regionOr(place.region, ctx, target.path, out);
  let permissions: readonly Permission[];
  if (target.cloudwatchLogs) {
    const block = f.cloudwatch_logs;
    const stream = block?.log_stream_name;
    out.notes.push(
      stream !== undefined && !stream.includes('{{')
        ? `${target.path}: PutLogEvents is granted on every stream of '${target.cloudwatchLogs.logGroupName}' (log-stream:*), as the sink's streams may change name`
        : `${target.path}: the log stream name is ${stream === undefined ? 'the host name' : 'a template'}: PutLogEvents is granted on every stream of '${target.cloudwatchLogs.logGroupName}' (log-stream:*)`,
    );
    if (block?.kms_key_id !== undefined)
      out.notes.push(
        `${target.path}: kms_key_id: CloudWatch Logs uses the key itself; its key policy must allow logs.${region}.amazonaws.com (no grant in this policy)`,
      );
    permissions = runPermissions(
      { kind: 'cloudwatch_logs', region, account, name: target.cloudwatchLogs.logGroupName },
      {
        createLogGroup: block?.create_log_group,
        createLogStream: block?.create_log_stream,
        retention: block?.retention_in_days !== undefined,
      },
    );
  } else if (target.s3) {
    const kms = f.s3?.sse === 'aws:kms' ? f.s3.kms_key_id : undefined;
    if (f.s3?.sse === 'aws:kms' && kms === undefined)
      out.notes.push(
        `${target.path}: sse aws:kms with the AWS managed key (aws/s3) needs no KMS grant in the policy`,
      );
    permissions = runPermissions(
      { kind: 's3', region, account, name: target.s3.bucket, prefix: target.s3.prefix },
      { s3KmsKeyId: kms },
    );
  } else if (f.firehose) {
    permissions = runPermissions({
      kind: 'firehose',
      region,
      account,
      name: f.firehose.delivery_stream_name,
    });
  } else {
    const k = f.kinesis!;
    permissions = runPermissions({
      kind: 'kinesis',
      region,
      account,
      name: k.stream_name ?? '',
      arn: k.stream_arn,
    });
  }
  for (const permission of permissions) out.needs.push({ principal, permission });
}

/** Every permission the config's signed calls need, by principal. */
export function needsOf(config: AgentConfig, ctx: NeedsContext): Needs {
  const out: Needs = { needs: [], roles: [], notes: [] };
  const seen = new Set<string>();
  for (const target of [
    ...config.globalRemoteWrite,
    ...config.instances.flatMap((i) => i.remoteWrite),
  ]) {
    if (seen.has(target.path)) continue;
    seen.add(target.path);
    remoteWriteNeeds(target, ctx, out);
  }
  scrapeNeeds(config, ctx, out);
  for (const client of config.logs.flatMap((l) => l.clients)) logsClientNeeds(client, ctx, out);
  if (out.needs.some((n) => n.permission.action === 'aps:RemoteWrite'))
    out.notes.push('nothing in the config queries a workspace, so aps:QueryMetrics is not granted');
  if (ctx.account === '*')
    out.notes.push(
      "the account is unknown (no --account, and sts:GetCallerIdentity was not answered): ARNs use '*' for it",
    );
  return out;
}
