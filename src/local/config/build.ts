/**
 * Turns a schema-valid config file into a LocalConfig: checks what one part of
 * the file says about another (policy names, role ARNs, uniqueness), which a
 * per-field schema cannot, then resolves references and fills derived fields.
 */
import type { ConfigIssue } from '../../config/yaml/config-error.js';
import { DEFAULT_ACCOUNT_ID } from '../service.js';
import { ROLE_ARN, type ConfigFile, type StatementFile } from './schema.js';
import type { InstanceConfig, LocalConfig, RoleConfig, Statement, UserConfig } from './types.js';

function duplicates<T>(items: readonly T[], key: (item: T) => string): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) out.push(i);
    seen.add(k);
  });
  return out;
}

/** Everything wrong with references inside an otherwise valid file. */
export function checkReferences(file: ConfigFile): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const policyNames = Object.keys(file.policies);
  const checkPolicy = (policy: string | StatementFile[] | undefined, path: PropertyKey[]): void => {
    if (typeof policy === 'string' && !Object.hasOwn(file.policies, policy)) {
      issues.push({
        path,
        message: `names policy '${policy}', which 'policies' does not define`,
        hint: policyNames.length
          ? `use one of: ${policyNames.join(', ')}, or list statements inline`
          : 'add it under policies:, or list statements inline',
      });
    }
  };
  file.principals.forEach((u, i) => checkPolicy(u.policy, ['principals', i, 'policy']));
  file.roles.forEach((r, i) => checkPolicy(r.policy, ['roles', i, 'policy']));

  for (const i of duplicates(file.principals, (u) => u.access_key_id)) {
    issues.push({
      path: ['principals', i, 'access_key_id'],
      message: 'repeats an access key id',
      hint: 'give each principal its own key',
    });
  }
  for (const i of duplicates(file.principals, (u) => `${u.account_id}/${u.name}`)) {
    issues.push({
      path: ['principals', i, 'name'],
      message: 'repeats a user name in the same account',
      hint: 'user names are unique per account',
    });
  }
  for (const i of duplicates(file.roles, (r) => r.arn)) {
    issues.push({
      path: ['roles', i, 'arn'],
      message: 'repeats a role ARN',
      hint: 'merge the two roles',
    });
  }
  for (const i of duplicates(file.instances, (x) => x.instance_id)) {
    issues.push({
      path: ['instances', i, 'instance_id'],
      message: 'repeats an instance id',
      hint: 'instance ids are unique',
    });
  }

  const roleArns = new Set(file.roles.map((r) => r.arn));
  const checkRole = (arn: string | undefined, path: PropertyKey[]): void => {
    if (arn !== undefined && !roleArns.has(arn)) {
      issues.push({
        path,
        message: `names role ${arn}, which 'roles' does not define`,
        hint: 'add the role under roles: so its policy is known',
      });
    }
  };
  file.instances.forEach((x, i) => checkRole(x.role, ['instances', i, 'role']));
  if (file.container) checkRole(file.container.role, ['container', 'role']);

  const selves = file.instances.flatMap((x, i) => (x.self ? [i] : []));
  for (const i of selves.slice(1)) {
    issues.push({
      path: ['instances', i, 'self'],
      message: 'marks a second instance as self',
      hint: 'IMDS describes one instance; keep self: true on one',
    });
  }
  return issues;
}

function toStatements(list: readonly StatementFile[]): Statement[] {
  return list.map((s) => ({
    ...(s.sid === undefined ? {} : { sid: s.sid }),
    effect: s.effect,
    actions: s.actions,
    resources: s.resources,
  }));
}

function roleParts(arn: string): { accountId: string; name: string } {
  const m = ROLE_ARN.exec(arn);
  // The schema has already matched ROLE_ARN, so both groups are present.
  return { accountId: m?.[1] ?? DEFAULT_ACCOUNT_ID, name: m?.[2] ?? arn };
}

/** The LocalConfig of a file that passed the schema and checkReferences. */
export function buildConfig(file: ConfigFile): LocalConfig {
  const resolve = (policy: string | StatementFile[] | undefined): Statement[] =>
    toStatements(typeof policy === 'string' ? (file.policies[policy] ?? []) : (policy ?? []));

  const principals: UserConfig[] = file.principals.map((u) => ({
    name: u.name,
    accountId: u.account_id,
    arn: `arn:aws:iam::${u.account_id}:user/${u.name}`,
    accessKeyId: u.access_key_id,
    secretAccessKey: u.secret_access_key,
    policy: resolve(u.policy),
  }));

  const roles: RoleConfig[] = file.roles.map((r) => {
    const { external_id: externalId, web_identity: web } = r.trust;
    return {
      arn: r.arn,
      ...roleParts(r.arn),
      maxSessionDuration: r.max_session_duration,
      trust: {
        principals: r.trust.principals,
        ...(externalId === undefined ? {} : { externalId }),
        ...(web === undefined ? {} : { webIdentity: web }),
      },
      policy: resolve(r.policy),
    };
  });

  const instances: InstanceConfig[] = file.instances.map((x) => ({
    instanceId: x.instance_id,
    imageId: x.image_id,
    instanceType: x.instance_type,
    privateIp: x.private_ip,
    ...(x.public_ip === undefined ? {} : { publicIp: x.public_ip }),
    state: x.state,
    tags: x.tags,
    availabilityZone: x.availability_zone,
    vpcId: x.vpc_id,
    subnetId: x.subnet_id,
    launchTime: new Date(x.launch_time).toISOString(),
    self: x.self,
    ...(x.role === undefined ? {} : { role: x.role }),
    // Without an explicit owner, the instance belongs to its role's account.
    accountId:
      x.account_id ?? (x.role === undefined ? DEFAULT_ACCOUNT_ID : roleParts(x.role).accountId),
  }));

  const c = file.container;
  return {
    principals,
    roles,
    policies: Object.fromEntries(
      Object.entries(file.policies).map(([k, v]) => [k, toStatements(v)]),
    ),
    instances,
    ...(c === undefined
      ? {}
      : {
          container: {
            role: c.role,
            ...(c.authorization_token === undefined
              ? {}
              : { authorizationToken: c.authorization_token }),
            ...(c.credentials_id === undefined ? {} : { credentialsId: c.credentials_id }),
            fullUriPath: c.full_uri_path,
          },
        }),
    executeApi: Object.fromEntries(
      Object.entries(file.execute_api).map(([path, page]) => [path.replace(/^\/+/, ''), page]),
    ),
    faults: file.faults,
    credentialDurationSeconds: file.credential_duration_seconds,
  };
}
