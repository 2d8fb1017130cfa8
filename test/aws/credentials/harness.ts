/**
 * The world the credential tests run in: a `signet local` stack on 127.0.0.1
 * (STS that verifies signatures and enforces trust and external ids, IMDSv2,
 * an ECS endpoint that checks its token) and a throwaway HOME.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLocalConfig } from '../../../src/local/config/load.js';
import { startLocal, type LocalStack } from '../../../src/local/index.js';

export const ACCOUNT = '123456789012';
export const OPS_KEY = 'AKIAOPSEXAMPLE000001';
export const OPS_SECRET = 'ops/secret/EXAMPLEKEYEXAMPLEKEYEXAMPLEOPS';
export const DEV_KEY = 'AKIADEVEXAMPLE000002';
export const DEV_SECRET = 'dev/secret/EXAMPLEKEYEXAMPLEKEYEXAMPLEDEV';
export const CONTAINER_TOKEN = 'container-token-EXAMPLE-4711';
export const EXTERNAL_ID = 'obs-external-7';

export const IRSA_ROLE = `arn:aws:iam::${ACCOUNT}:role/signet-irsa`;
export const CENTRAL_ROLE = 'arn:aws:iam::111122223333:role/central-observability';
export const WORKSPACE_ROLE = 'arn:aws:iam::444455556666:role/amp-workspace-writer';
export const DEV_ROLE = `arn:aws:iam::${ACCOUNT}:role/dev-writer`;
export const INSTANCE_ROLE = `arn:aws:iam::${ACCOUNT}:role/instance-role`;
export const TASK_ROLE = `arn:aws:iam::${ACCOUNT}:role/task-role`;
export const ISSUER = 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE0123';

export function configYaml(durationSeconds = 3600): string {
  return `
credential_duration_seconds: ${durationSeconds}
principals:
  - { name: ops, account_id: '${ACCOUNT}', access_key_id: ${OPS_KEY}, secret_access_key: ${OPS_SECRET}, policy: admin }
  - { name: dev, account_id: '${ACCOUNT}', access_key_id: ${DEV_KEY}, secret_access_key: ${DEV_SECRET}, policy: admin }
policies:
  admin: [{ effect: Allow, actions: '*', resources: '*' }]
roles:
  - arn: ${IRSA_ROLE}
    trust:
      principals: []
      web_identity: { issuer: ${ISSUER}, audience: sts.amazonaws.com, subject: 'system:serviceaccount:monitoring:*' }
    policy: admin
  - arn: ${CENTRAL_ROLE}
    trust: { principals: ['${IRSA_ROLE}', 'arn:aws:iam::${ACCOUNT}:user/ops'], external_id: ${EXTERNAL_ID} }
    policy: admin
  - arn: ${WORKSPACE_ROLE}
    trust: { principals: ['${CENTRAL_ROLE}'] }
    policy: admin
  - arn: ${DEV_ROLE}
    trust: { principals: ['arn:aws:iam::${ACCOUNT}:user/dev', '${INSTANCE_ROLE}'] }
    policy: admin
  - arn: ${INSTANCE_ROLE}
    trust: { principals: [] }
    policy: admin
  - arn: ${TASK_ROLE}
    trust: { principals: [] }
    policy: admin
instances:
  - instance_id: i-0aaaaaaaaaaaaaaa1
    image_id: ami-0abcdef1234567890
    instance_type: t3.micro
    private_ip: 10.0.0.10
    state: running
    availability_zone: eu-west-1a
    vpc_id: vpc-0a1b2c3d
    subnet_id: subnet-0a1b2c3d
    launch_time: '2024-05-01T12:00:00Z'
    self: true
    role: ${INSTANCE_ROLE}
container:
  role: ${TASK_ROLE}
  authorization_token: ${CONTAINER_TOKEN}
`;
}

export async function startStack(
  options: { durationSeconds?: number; clock?: () => number; region?: string } = {},
): Promise<LocalStack> {
  return startLocal({
    config: parseLocalConfig(configYaml(options.durationSeconds), 'credentials-test.yaml'),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.region ? { region: options.region } : {}),
  });
}

/** An unsigned OIDC token of the shape EKS projects into pods. */
export function webIdentityToken(
  subject = 'system:serviceaccount:monitoring:signet',
  expiresAtMs = Date.now() + 3600_000,
): string {
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const jti = Math.random().toString(36).slice(2);
  const payload = {
    iss: ISSUER,
    sub: subject,
    aud: ['sts.amazonaws.com'],
    exp: Math.floor(expiresAtMs / 1000),
    jti,
  };
  return `${part({ alg: 'RS256', kid: 'k1' })}.${part(payload)}.c2lnbmF0dXJl`;
}

/** A temporary HOME with `.aws/`; `files` maps names under HOME to contents. */
export class TempHome {
  readonly dir: string;

  constructor(files: Readonly<Record<string, string>> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'signet-home-'));
    mkdirSync(join(this.dir, '.aws'));
    for (const [name, text] of Object.entries(files)) this.write(name, text);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  write(name: string, text: string): string {
    const path = this.path(name);
    writeFileSync(path, text);
    return path;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** An environment with nothing from this machine: no keys, no IMDS unless given. */
export function isolatedEnv(
  home: TempHome,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    HOME: home.dir,
    // A closed port: a machine without IMDS must fail fast, not hang.
    AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:9',
    ...extra,
  };
}

/** How many requests of one operation reached the stack, e.g. ('sts', 'AssumeRole'). */
export function requestsOf(stack: LocalStack, service: string, operation?: string): number {
  return stack.log
    .list()
    .filter((r) => r.service === service && (operation === undefined || r.operation === operation))
    .length;
}

/**
 * The environment of a pod with IRSA: a web identity token file (written into
 * `home`, valid until `tokenExpiresAtMs`), the role, and STS at `stack`.
 */
export function irsaEnv(
  home: TempHome,
  stack: LocalStack,
  tokenExpiresAtMs: number,
  extra: Record<string, string> = {},
): Record<string, string> {
  return isolatedEnv(home, {
    AWS_ENDPOINT_URL_STS: stack.url,
    AWS_WEB_IDENTITY_TOKEN_FILE: home.write('token', webIdentityToken(undefined, tokenExpiresAtMs)),
    AWS_ROLE_ARN: IRSA_ROLE,
    ...extra,
  });
}
