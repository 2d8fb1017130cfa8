/** What a destination's configuration says about credentials, in Signet's terms. */

/** One role to assume; a chain of them is assumed in order, each with the previous hop's credentials. */
export interface RoleHop {
  readonly roleArn: string;
  readonly externalId?: string | undefined;
  /** Default `signet-<host>`. */
  readonly sessionName?: string | undefined;
  /** Default 15 minutes; chained hops are capped at an hour, as AWS caps them. */
  readonly durationSeconds?: number | undefined;
}

export interface CredentialSpec {
  readonly accessKeyId?: string | undefined;
  readonly secretAccessKey?: string | undefined;
  readonly sessionToken?: string | undefined;
  readonly profile?: string | undefined;
  readonly roles?: readonly RoleHop[];
  /** `sts_endpoint`: where STS calls go; the signing region stays the destination's. */
  readonly stsEndpoint?: string | undefined;
  readonly useFipsStsEndpoint?: boolean | undefined;
}

/** The default role session duration in the Grafana Agent guides: 15 minutes. */
export const DEFAULT_ROLE_DURATION_SECONDS = 900;
/** AWS's cap on a session assumed with the credentials of another role session. */
export const CHAINED_ROLE_MAX_SECONDS = 3600;
