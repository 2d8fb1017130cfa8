/**
 * What `signet local --config FILE` describes, after validation: the shape the
 * identity store and the services read. Keys are camelCase here; the file
 * itself uses snake_case (see schema.ts).
 */
import type { FaultRule } from '../faults.js';

/** One IAM policy statement, as `policies:` and inline `policy:` lists hold them. */
export interface Statement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** `service:Action` patterns with `*` and `?`, or `*`. */
  readonly actions: readonly string[];
  /** ARN patterns with `*` and `?`, or `*`. */
  readonly resources: readonly string[];
}

/** A long-term IAM user and its access key. */
export interface UserConfig {
  readonly name: string;
  readonly accountId: string;
  /** `arn:aws:iam::{accountId}:user/{name}`. */
  readonly arn: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Resolved statements; empty means everything is implicitly denied, as in IAM. */
  readonly policy: readonly Statement[];
}

/** Who may assume a role via AssumeRoleWithWebIdentity; unset fields are not checked. */
export interface WebIdentityTrust {
  readonly issuer?: string;
  readonly audience?: string;
  /** May hold `*` and `?` (StringLike, as trust-policy conditions on `sub` usually do). */
  readonly subject?: string;
}

export interface RoleTrust {
  /** ARN patterns (`*`, `?`), 12-digit account ids, or `arn:aws:iam::{acct}:root`. */
  readonly principals: readonly string[];
  readonly externalId?: string;
  /** Absent: the role cannot be assumed with a web identity token. */
  readonly webIdentity?: WebIdentityTrust;
}

export interface RoleConfig {
  /** `arn:aws:iam::{acct}:role/{path/}{name}`. */
  readonly arn: string;
  /** The last segment of the ARN, used in assumed-role ARNs. */
  readonly name: string;
  readonly accountId: string;
  /** Seconds, 3600..43200 as IAM allows. */
  readonly maxSessionDuration: number;
  readonly trust: RoleTrust;
  readonly policy: readonly Statement[];
}

export type InstanceState =
  'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export interface InstanceConfig {
  readonly instanceId: string;
  readonly imageId: string;
  readonly instanceType: string;
  readonly privateIp: string;
  readonly publicIp?: string;
  readonly state: InstanceState;
  readonly tags: Readonly<Record<string, string>>;
  readonly availabilityZone: string;
  readonly vpcId: string;
  readonly subnetId: string;
  /** ISO 8601, normalised to whole seconds (`2024-01-02T03:04:05.000Z`). */
  readonly launchTime: string;
  /** The instance IMDS describes; at most one instance has it. */
  readonly self: boolean;
  /** The instance profile's role ARN; one of `roles`. */
  readonly role?: string;
  /** The owner account, as DescribeInstances and the identity document report it. */
  readonly accountId: string;
}

/** The ECS / EKS Pod Identity credential endpoint. */
export interface ContainerConfig {
  /** One of `roles`. */
  readonly role: string;
  /** When set, requests must carry it as `Authorization` (AWS_CONTAINER_AUTHORIZATION_TOKEN). */
  readonly authorizationToken?: string;
  /** When set, `/v2/credentials/{id}` answers only this id, as the ECS agent does. */
  readonly credentialsId?: string;
  /** The path served for AWS_CONTAINER_CREDENTIALS_FULL_URI. */
  readonly fullUriPath: string;
}

export interface LocalConfig {
  readonly principals: readonly UserConfig[];
  readonly roles: readonly RoleConfig[];
  /** Named statement lists that `policy: name` refers to. */
  readonly policies: Readonly<Record<string, readonly Statement[]>>;
  readonly instances: readonly InstanceConfig[];
  readonly container?: ContainerConfig;
  /** Path under `/execute-api/` (no leading slash) → Prometheus text page. */
  readonly executeApi: Readonly<Record<string, string>>;
  /** Faults in force from the start (`faults:`, snake_case keys as in `POST /_signet/faults`). */
  readonly faults: readonly FaultRule[];
  /** Lifetime of credentials IMDS, ECS and STS hand out (STS: the cap on DurationSeconds). */
  readonly credentialDurationSeconds: number;
}
