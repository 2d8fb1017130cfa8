/**
 * `signet iam-policy -config.file=FILE`: the least-privilege IAM policy the
 * config's signed calls need, from the same permission tables doctor uses
 * (src/aws/permissions/), with the account from --account or
 * sts:GetCallerIdentity. --per-role splits it by principal, with the trust
 * policies of the roles.
 */
import { parseArgs } from 'node:util';
import { CorrectedClock } from '../aws/clock.js';
import { CredentialRegistry } from '../aws/credentials/registry.js';
import { envValue } from '../aws/env.js';
import { RegionError, resolveRegion } from '../aws/region.js';
import type { AgentConfig } from '../config/agent/types.js';
import { validateAgentConfig } from '../config/agent/validate.js';
import { ConfigFileError } from '../config/yaml/config-error.js';
import { printProblems } from './agent-flags.js';
import { checkIdentity } from './doctor-checks.js';
import {
  perPrincipal,
  policyOf,
  type BaseTrust,
  type PolicyDocument,
  type PrincipalPolicy,
} from './iam-policy-document.js';
import { BASE, needsOf } from './iam-policy-needs.js';
import { UsageError } from './usage-error.js';

export const IAM_POLICY_USAGE = `Usage: signet iam-policy -config.file=FILE [options]

Prints the least-privilege IAM policy (JSON) the agent's signed calls need:
aps:RemoteWrite on each AMP workspace, sts:AssumeRole on each role_arn (with
the sts:ExternalId condition), execute-api:Invoke for signed scrapes, and the
CloudWatch Logs, S3, Firehose and Kinesis actions of the logs clients, on
exact ARNs. What cannot be known (the account, a templated stream name) is
said on stderr, and the narrowest pattern is used. The file is checked as
\`signet config check\` checks it; a broken file is refused the same way.

Options:
  -config.file FILE          the configuration (also a lone FILE argument)
  -config.expand-env         expand \${VAR} in the file, as run does
  --account ID               the account of the resources; default: ask
                             sts:GetCallerIdentity with the credential chain
  --per-role                 one policy per principal: the base credentials and
                             each role_arn, with each role's trust policy
  --trust none|ec2|irsa      how the base principal is assumed, for its trust
                             policy (default: irsa when AWS_ROLE_ARN and
                             AWS_WEB_IDENTITY_TOKEN_FILE are set and the two
                             flags below are given, else none)
  --oidc-provider HOST/PATH  the cluster's OIDC provider, for --trust irsa
  --service-account NS/NAME  the Kubernetes service account, for --trust irsa
  --json                     one JSON document with the policies and the notes

Exit status: 0 with a policy printed, 1 when the file is refused, 2 for a bad command line.`;

interface Options {
  readonly file: string;
  readonly load: { expandEnv: boolean };
  readonly account: string | undefined;
  readonly perRole: boolean;
  readonly json: boolean;
  readonly trust: BaseTrust;
}

function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  let parsed;
  try {
    parsed = parseArgs({
      // Go-style single-dash long flags, as run takes them.
      args: argv.map((a) => (/^-[A-Za-z][\w.-]+/.test(a) ? `-${a}` : a)),
      allowPositionals: true,
      options: {
        'config.file': { type: 'string' },
        'config.expand-env': { type: 'boolean' },
        account: { type: 'string' },
        'per-role': { type: 'boolean' },
        json: { type: 'boolean' },
        trust: { type: 'string' },
        'oidc-provider': { type: 'string' },
        'service-account': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError(String((error as Error).message).split('. ')[0]!, {
      hint: 'run `signet help iam-policy`',
    });
  }
  const { values, positionals } = parsed;
  const file = values['config.file'] ?? positionals[0];
  if (!file || positionals.length > (values['config.file'] ? 0 : 1))
    throw new UsageError('iam-policy needs one config file', {
      hint: 'signet iam-policy -config.file=agent.yaml',
    });
  const account = values.account;
  if (account !== undefined && !/^\d{12}$/.test(account))
    throw new UsageError(`--account '${account}' is not a 12-digit account id`, {
      hint: 'e.g. --account 123456789012',
    });
  const irsaEnv =
    envValue(env, 'AWS_ROLE_ARN') !== undefined &&
    envValue(env, 'AWS_WEB_IDENTITY_TOKEN_FILE') !== undefined;
  const flagsGiven =
    values['oidc-provider'] !== undefined || values['service-account'] !== undefined;
  // IRSA seen in the environment asks for its trust policy only when the cluster's names are given.
  const kind = values.trust ?? (irsaEnv && flagsGiven ? 'irsa' : 'none');
  let trust: BaseTrust;
  if (kind === 'none' || kind === 'ec2') trust = { kind };
  else if (kind === 'irsa') {
    const oidcProvider = values['oidc-provider'];
    const serviceAccount = values['service-account'];
    if (!oidcProvider || !serviceAccount || !/^[^/]+\/[^/]+$/.test(serviceAccount))
      throw new UsageError('--trust irsa needs --oidc-provider and --service-account NS/NAME', {
        hint: 'e.g. --oidc-provider oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE --service-account monitoring/signet',
      });
    trust = { kind, oidcProvider, serviceAccount };
  } else
    throw new UsageError(`--trust '${kind}' is not none, ec2 or irsa`, {
      hint: 'ec2 for an instance profile, irsa for an EKS service account',
    });
  return {
    file,
    load: { expandEnv: values['config.expand-env'] ?? false },
    account,
    perRole: values['per-role'] ?? false,
    json: values.json ?? false,
    trust,
  };
}

/** The base credentials' identity, as doctor asks for it; undefined when STS does not answer. */
async function callerIdentity(
  config: AgentConfig,
  region: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<{ account: string; arn: string } | { problem: string }> {
  const signed = [
    ...config.globalRemoteWrite,
    ...config.instances.flatMap((i) => i.remoteWrite),
    ...config.instances.flatMap((i) => i.jobs),
    ...config.logs.flatMap((l) => l.clients),
  ].flatMap((t) => (t.aws ? [t.aws] : []));
  // STS is asked in the environment's region, else in the first one the file names.
  region ??= signed.find((a) => a.region !== undefined)?.region;
  if (region === undefined) return { problem: 'no region to ask STS in' };
  // The base principal: the chain without the roles the config assumes.
  const auth = signed[0];
  const spec = { ...(auth?.spec ?? {}), roles: [] };
  const clock = new CorrectedClock();
  const registry = new CredentialRegistry({ env, clock, timeoutMs: 2000 });
  try {
    const report = await checkIdentity(
      registry.provider(spec, region),
      region,
      clock,
      env,
      spec.stsEndpoint,
    );
    return report.identity ?? { problem: report.problem?.message ?? 'STS did not answer' };
  } finally {
    registry.close();
  }
}

/** An assumed-role session's ARN as a trust policy names it: the role. */
function principalArnOf(arn: string): string {
  const m = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}

function printText(principals: readonly PrincipalPolicy[] | PolicyDocument): void {
  if (!Array.isArray(principals)) {
    console.log(JSON.stringify(principals, null, 2));
    return;
  }
  for (const p of principals as readonly PrincipalPolicy[]) {
    console.log(`# ${p.principal === BASE ? 'base credentials' : p.principal}: policy`);
    console.log(JSON.stringify(p.policy, null, 2));
    if (p.trustPolicy) {
      console.log(`# ${p.principal === BASE ? 'base credentials' : p.principal}: trust policy`);
      console.log(JSON.stringify(p.trustPolicy, null, 2));
    }
  }
}

export async function runIamPolicy(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const options = parseOptions(argv, env);
  let config: AgentConfig;
  try {
    ({ config } = await validateAgentConfig(options.file, { ...options.load, env, imds: false }));
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    printProblems(options.file, error);
    return 1;
  }
  let defaultRegion: string | undefined;
  try {
    defaultRegion = (await resolveRegion({ env, imds: false })).region;
  } catch (error) {
    if (!(error instanceof RegionError)) throw error;
  }
  const notes: string[] = [];
  let account = options.account;
  let baseArn: string | undefined;
  if (account === undefined) {
    const identity = await callerIdentity(config, defaultRegion, env);
    if ('account' in identity) {
      account = identity.account;
      baseArn = principalArnOf(identity.arn);
    } else notes.push(`sts:GetCallerIdentity: ${identity.problem}`);
  }
  const irsaRole = envValue(env, 'AWS_ROLE_ARN');
  if (
    options.perRole &&
    options.trust.kind === 'none' &&
    irsaRole !== undefined &&
    envValue(env, 'AWS_WEB_IDENTITY_TOKEN_FILE') !== undefined
  )
    notes.push(
      `IRSA is in use (${irsaRole}): pass --oidc-provider and --service-account NS/NAME for its trust policy`,
    );
  if (options.trust.kind === 'irsa' && irsaRole !== undefined) baseArn = irsaRole;
  const needs = needsOf(config, { account: account ?? '*', defaultRegion });
  notes.push(...needs.notes);
  const base = {
    arn: baseArn ?? `arn:aws:iam::${account ?? '*'}:root`,
    account: account ?? '*',
    trust: options.trust,
  };
  const output = options.perRole
    ? perPrincipal(needs.needs, needs.roles, base)
    : policyOf(needs.needs.map((n) => n.permission));
  if (!options.perRole && needs.roles.length > 0)
    notes.push('the config assumes roles: --per-role gives each principal only its own statements');
  if (options.json) {
    const body = options.perRole ? { principals: output } : { policy: output };
    console.log(JSON.stringify({ account: account ?? null, ...body, notes }, null, 2));
  } else {
    printText(output);
  }
  for (const note of notes) process.stderr.write(`note: ${note}\n`);
  return 0;
}
