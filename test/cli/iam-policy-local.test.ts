/**
 * `signet iam-policy` against what `signet run` really does: for the guides'
 * kinds of configuration (AMP remote_write with sigv4; CloudWatch Logs (as a
 * client URL and as the guides' loki_push_api target), S3,
 * Firehose and Kinesis logs clients; a role_arn with an external_id), the
 * generated policies are loaded into `signet local` (the principal's policy,
 * and the role's policy and trust), a real `signet run` child delivers with
 * them and is never denied; then, for every statement, a child whose policy
 * lacks that statement is denied (AccessDenied in signet local's request log)
 * on an action of that statement. All children run at once against one
 * signet local, each as its own IAM user (and role) with its own resources,
 * and each is stopped as soon as its outcome shows.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { writeFileSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { loadAgentConfig } from '../../src/config/agent/load.js';
import {
  perPrincipal,
  type PolicyDocument,
  type PrincipalPolicy,
} from '../../src/cli/iam-policy-document.js';
import { needsOf } from '../../src/cli/iam-policy-needs.js';
import { startLocal, type LocalStack } from '../../src/local/index.js';
import { tempDir, waitFor } from '../agent/harness.js';
import { DEMO_PRINCIPAL_YAML, sdkConfig } from '../helpers/local-stack.js';
import { runSignet } from '../helpers/run-cli.js';
import { startSignet, type SignetChild } from '../helpers/signet-child.js';
import { ACCOUNT, BUCKET, REGION, SCENARIOS, type Scenario } from './iam-policy-scenarios.js';

let localUrl = '';
let pagePort = 0;

/** One `signet run`: a scenario with its whole policies, or without one statement. */
interface Variant {
  readonly n: number;
  readonly scenario: Scenario;
  readonly dir: string;
  readonly file: string;
  readonly user: string;
  readonly keyId: string;
  readonly secret: string;
  readonly policies: PrincipalPolicy[];
  /** Absent: the whole policies. */
  readonly removed?: {
    /** The index of the principal in `policies` (role ARNs differ per variant). */
    readonly principal: number;
    readonly sid: string;
    readonly actions: string[];
  };
}

const userArn = (user: string) => `arn:aws:iam::${ACCOUNT}:user/${user}`;
const actionsOf = (a: string | string[]) => (Array.isArray(a) ? a : [a]);

/** The statements as signet local takes them; conditions are its trust's business (external_id). */
function localStatements(doc: PolicyDocument) {
  return doc.Statement.map((s) => ({
    sid: s.Sid,
    effect: s.Effect,
    actions: actionsOf(s.Action),
    resources: actionsOf(s.Resource ?? '*'),
  }));
}

function localTrust(doc: PolicyDocument, user: string) {
  const s = doc.Statement[0]!;
  // The account root (no identity was asked) stands for this variant's user, which it would admit.
  const principals = actionsOf(s.Principal?.AWS ?? []).map((p) =>
    p === `arn:aws:iam::${ACCOUNT}:root` ? userArn(user) : p,
  );
  const externalId = s.Condition?.StringEquals?.['sts:ExternalId'];
  return { principals, ...(externalId !== undefined ? { external_id: externalId } : {}) };
}

/** What iam-policy generates for a config, in-process (the CLI's own functions). */
function generate(file: string): PrincipalPolicy[] {
  const { config } = loadAgentConfig(file);
  const { needs, roles } = needsOf(config, { account: ACCOUNT, defaultRegion: REGION });
  return perPrincipal(needs, roles, {
    arn: `arn:aws:iam::${ACCOUNT}:root`,
    account: ACCOUNT,
    trust: { kind: 'none' },
  });
}

const dirs: { remove(): void }[] = [];
const variants: Variant[] = [];
let local: LocalStack;
let page: Server;
const cliOutputs = new Map<string, { principals: PrincipalPolicy[] }>();

function newVariant(scenario: Scenario, removed?: Variant['removed']): Variant {
  const n = variants.length;
  const d = tempDir('signet-iam-');
  dirs.push(d);
  const file = join(d.path, 'agent.yaml');
  writeFileSync(file, scenario.yaml(n, d.path, { localUrl, pagePort }));
  writeFileSync(join(d.path, 'app.log'), 'one line\nanother line\n');
  mkdirSync(join(d.path, 'positions'), { recursive: true });
  let policies = generate(file);
  if (removed)
    policies = policies.map((p, i) =>
      i !== removed.principal
        ? p
        : {
            ...p,
            policy: {
              ...p.policy,
              Statement: p.policy.Statement.filter((s) => s.Sid !== removed.sid),
            },
          },
    );
  const variant: Variant = {
    n,
    scenario,
    dir: d.path,
    file,
    user: `iam-${scenario.name}-${n}`,
    keyId: `AKIAIAMTEST${String(n).padStart(9, '0')}`,
    secret: `iam-policy-test-secret-${n}`,
    policies,
    ...(removed ? { removed } : {}),
  };
  variants.push(variant);
  return variant;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

before(async () => {
  page = createServer((_req, res) => res.end('iam_policy_page_up 1\n'));
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  pagePort = (page.address() as AddressInfo).port;
  const port = await freePort();
  localUrl = `http://127.0.0.1:${port}`;

  // The whole policies of each scenario, as the CLI prints them, then one variant per statement.
  await Promise.all(
    SCENARIOS.map(async (scenario) => {
      const whole = newVariant(scenario);
      const r = await runSignet(
        ['iam-policy', `-config.file=${whole.file}`, '--account', ACCOUNT, '--per-role', '--json'],
        { env: { AWS_REGION: REGION } },
      );
      assert.equal(r.status, 0, r.stderr);
      cliOutputs.set(scenario.name, JSON.parse(r.stdout) as { principals: PrincipalPolicy[] });
    }),
  );
  for (const scenario of SCENARIOS) {
    const whole = variants.find((v) => v.scenario === scenario)!;
    for (const [i, p] of whole.policies.entries())
      for (const s of p.policy.Statement)
        newVariant(scenario, { principal: i, sid: s.Sid, actions: actionsOf(s.Action) });
  }

  const principals = variants.map((v) => ({
    name: v.user,
    account_id: ACCOUNT,
    access_key_id: v.keyId,
    secret_access_key: v.secret,
    policy: localStatements(v.policies.find((p) => p.principal === 'base')!.policy),
  }));
  const roles = variants.flatMap((v) =>
    v.policies
      .filter((p) => p.principal !== 'base')
      .map((p) => ({
        arn: p.principal,
        trust: localTrust(p.trustPolicy!, v.user),
        policy: localStatements(p.policy),
      })),
  );
  const configDir = tempDir('signet-iam-local-');
  dirs.push(configDir);
  const configFile = join(configDir.path, 'local.yaml');
  writeFileSync(
    configFile,
    DEMO_PRINCIPAL_YAML +
      principals.map((p) => `  - ${JSON.stringify(p)}\n`).join('') +
      `roles: ${JSON.stringify(roles)}\n`,
  );
  local = await startLocal({ region: REGION, port, configFile });
  const s3 = new S3Client(sdkConfig(local, { forcePathStyle: true }));
  await s3.send(
    new CreateBucketCommand({
      Bucket: BUCKET,
      CreateBucketConfiguration: { LocationConstraint: REGION },
    }),
  );
  s3.destroy();
});

after(async () => {
  await local?.close();
  page?.close();
  dirs.forEach((d) => d.remove());
});

type Outcome = { delivered: true } | { denied: string };

/** The variant's requests in signet local's log: its user's, and its roles' sessions'. */
function outcomeOf(v: Variant): Outcome | undefined {
  const roles = v.policies
    .filter((p) => p.principal !== 'base')
    .map((p) => p.principal.split('/').pop()!);
  const mine = local.log
    .list()
    .filter(
      (e) =>
        e.principal === userArn(v.user) ||
        roles.some((r) => e.principal?.includes(`:assumed-role/${r}/`)),
    );
  const denied = mine.find((e) => /AccessDenied/.test(e.errorCode ?? ''));
  if (denied) return { denied: `${denied.service}:${denied.operation ?? '?'}` };
  const delivered = mine.some(
    (e) => `${e.service}:${e.operation ?? ''}` === v.scenario.delivers && e.status === 200,
  );
  return delivered ? { delivered: true } : undefined;
}

async function runVariant(v: Variant): Promise<Outcome> {
  const env = {
    AWS_ACCESS_KEY_ID: v.keyId,
    AWS_SECRET_ACCESS_KEY: v.secret,
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL_LOGS: localUrl,
    AWS_ENDPOINT_URL_S3: localUrl,
    AWS_ENDPOINT_URL_FIREHOSE: localUrl,
    AWS_ENDPOINT_URL_KINESIS: localUrl,
    AWS_ENDPOINT_URL_STS: localUrl,
  };
  let child: SignetChild | undefined;
  try {
    const config = {
      server: { http_listen_address: '127.0.0.1', http_listen_port: 0 },
      ...(JSON.parse(v.scenario.yaml(v.n, v.dir, { localUrl, pagePort })) as object),
    };
    // Block style at the top, so the helper sees the `server:` key and adds none.
    const yaml = Object.entries(config)
      .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
      .join('\n');
    child = await startSignet(v.dir, `${yaml}\n`, env, { cwd: v.dir });
    const running = child;
    return await waitFor(`an outcome for ${v.user}`, () => outcomeOf(v), 300, 100).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}; the agent logged:\n${running.log()}`);
      },
    );
  } finally {
    await child?.stop();
  }
}

describe('iam-policy: the generated policies allow exactly what signet run does', () => {
  test('the CLI prints what the variants were made from', () => {
    for (const scenario of SCENARIOS) {
      const whole = variants.find((v) => v.scenario === scenario && !v.removed)!;
      assert.deepEqual(cliOutputs.get(scenario.name)?.principals, whole.policies, scenario.name);
    }
    // Every statement has its own variant.
    const statements = SCENARIOS.flatMap((s) =>
      variants
        .find((v) => v.scenario === s && !v.removed)!
        .policies.flatMap((p) => p.policy.Statement),
    );
    assert.equal(variants.filter((v) => v.removed).length, statements.length);
  });

  test('whole: each run delivers and is never denied; without any one statement: denied on its action', async () => {
    // A few at a time: the machine's two cores start a Node process in a second or so each.
    const outcomes: (readonly [Variant, Outcome])[] = [];
    const queue = [...variants];
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        for (let v = queue.shift(); v !== undefined; v = queue.shift())
          outcomes.push([v, await runVariant(v)]);
      }),
    );
    assert.equal(outcomes.length, variants.length);
    for (const [v, outcome] of outcomes) {
      if (!v.removed) {
        assert.deepEqual(outcome, { delivered: true }, `${v.scenario.name}: the whole policy`);
      } else {
        assert.ok('denied' in outcome, `${v.user} without ${v.removed.sid} was not denied`);
        assert.ok(
          v.removed.actions.includes(outcome.denied),
          `${v.user} without ${v.removed.sid} (${v.removed.actions.join(', ')}) was denied ${outcome.denied}`,
        );
      }
    }
  });
});
