/**
 * Needs into IAM policy documents, deterministically: resources merged per
 * action, actions with the same resources and condition in one statement,
 * statements sorted by a readable Sid; and the trust policies of the roles.
 */
import type { Permission } from '../aws/permissions/log-sinks.js';
import { BASE, type Need, type PrincipalKey, type RoleUse } from './iam-policy-needs.js';

type Condition = NonNullable<Permission['condition']>;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Principal?: Readonly<Record<string, string | string[]>>;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Condition;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatement[];
}

const one = (list: readonly string[]): string | string[] =>
  list.length === 1 ? list[0]! : [...list];

/** `logs:PutLogEvents` → `LogsPutLogEvents`; Sids take letters and digits only. */
function sidPart(action: string): string {
  return action
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function sidOf(actions: readonly string[]): string {
  const service = actions[0]!.split(':')[0]!;
  const names = actions.map((a) => sidPart(a.split(':')[1] ?? a));
  return `${sidPart(service)}${names.join('')}`;
}

/** The statements of one principal's permissions. */
export function policyOf(permissions: readonly Permission[]): PolicyDocument {
  // action + condition → resources
  const byAction = new Map<
    string,
    { action: string; condition?: Condition; resources: Set<string> }
  >();
  for (const p of permissions) {
    const key = JSON.stringify([p.action, p.condition ?? null]);
    let entry = byAction.get(key);
    if (!entry) {
      entry = {
        action: p.action,
        ...(p.condition ? { condition: p.condition } : {}),
        resources: new Set(),
      };
      byAction.set(key, entry);
    }
    for (const r of p.resources) entry.resources.add(r);
  }
  // resources + condition → actions
  const groups = new Map<
    string,
    { actions: string[]; resources: string[]; condition?: Condition }
  >();
  for (const e of byAction.values()) {
    const resources = [...e.resources].sort();
    const service = e.action.split(':')[0];
    const key = JSON.stringify([service, resources, e.condition ?? null]);
    let group = groups.get(key);
    if (!group) {
      group = { actions: [], resources, ...(e.condition ? { condition: e.condition } : {}) };
      groups.set(key, group);
    }
    group.actions.push(e.action);
  }
  const statements = [...groups.values()].map((g) => {
    const actions = [...new Set(g.actions)].sort();
    return { sid: sidOf(actions), actions, resources: g.resources, condition: g.condition };
  });
  statements.sort(
    (a, b) =>
      a.sid.localeCompare(b.sid) ||
      JSON.stringify(a.resources).localeCompare(JSON.stringify(b.resources)),
  );
  const used = new Map<string, number>();
  return {
    Version: '2012-10-17',
    Statement: statements.map((s) => {
      const n = (used.get(s.sid) ?? 0) + 1;
      used.set(s.sid, n);
      return {
        Sid: n === 1 ? s.sid : `${s.sid}${n}`,
        Effect: 'Allow' as const,
        Action: one(s.actions),
        Resource: one(s.resources),
        ...(s.condition ? { Condition: s.condition } : {}),
      };
    }),
  };
}

/** How the base principal gets its credentials, for its trust policy (`--trust`). */
export type BaseTrust =
  | { readonly kind: 'none' }
  | { readonly kind: 'ec2' }
  | {
      readonly kind: 'irsa';
      /** e.g. `oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`. */
      readonly oidcProvider: string;
      /** `namespace/name`. */
      readonly serviceAccount: string;
    };

export interface PrincipalPolicy {
  /** `base` or a role ARN. */
  readonly principal: PrincipalKey;
  readonly policy: PolicyDocument;
  readonly trustPolicy?: PolicyDocument;
}

function trustOfBase(trust: BaseTrust, account: string): PolicyDocument | undefined {
  if (trust.kind === 'none') return undefined;
  if (trust.kind === 'ec2')
    return {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Ec2AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'ec2.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    };
  const provider = trust.oidcProvider.replace(/^https:\/\//, '');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'IrsaAssumeRoleWithWebIdentity',
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/${provider}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${provider}:aud`]: 'sts.amazonaws.com',
            [`${provider}:sub`]: `system:serviceaccount:${trust.serviceAccount.replace('/', ':')}`,
          },
        },
      },
    ],
  };
}

/** A role's trust policy: whoever assumes it in the config, as an AWS principal. */
function trustOfRole(uses: readonly RoleUse[], baseArn: string): PolicyDocument {
  const groups = new Map<string, { principals: Set<string>; externalId: string | undefined }>();
  for (const u of uses) {
    const key = u.externalId ?? '';
    const g = groups.get(key) ?? { principals: new Set<string>(), externalId: u.externalId };
    g.principals.add(u.assumedBy === BASE ? baseArn : u.assumedBy);
    groups.set(key, g);
  }
  const statements = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    Version: '2012-10-17',
    Statement: statements.map(([, g], i) => ({
      Sid: `AssumeRole${g.externalId !== undefined ? 'WithExternalId' : ''}${i === 0 ? '' : i + 1}`,
      Effect: 'Allow',
      Principal: { AWS: one([...g.principals].sort()) },
      Action: 'sts:AssumeRole',
      ...(g.externalId !== undefined
        ? { Condition: { StringEquals: { 'sts:ExternalId': g.externalId } } }
        : {}),
    })),
  };
}

/** One policy per principal: the base first, then the roles by ARN, each with its trust policy. */
export function perPrincipal(
  needs: readonly Need[],
  roles: readonly RoleUse[],
  base: { readonly arn: string; readonly account: string; readonly trust: BaseTrust },
): PrincipalPolicy[] {
  const keys = [
    ...new Set([BASE, ...needs.map((n) => n.principal), ...roles.map((r) => r.roleArn)]),
  ];
  keys.sort((a, b) => (a === BASE ? -1 : b === BASE ? 1 : a.localeCompare(b)));
  return keys.map((principal) => {
    const policy = policyOf(
      needs.filter((n) => n.principal === principal).map((n) => n.permission),
    );
    const trust =
      principal === BASE
        ? trustOfBase(base.trust, base.account)
        : trustOfRole(
            roles.filter((r) => r.roleArn === principal),
            base.arn,
          );
    return { principal, policy, ...(trust ? { trustPolicy: trust } : {}) };
  });
}
