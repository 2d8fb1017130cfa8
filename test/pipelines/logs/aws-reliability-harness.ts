/**
 * What the logs-to-AWS reliability scenarios share: a `signet local` of
 * their own (faults are per stack, so scenarios running at once never see
 * each other's), work directories removed at the end, `signet run` tailing
 * `<dir>/<job>.log` files into the clients a scenario writes, and the
 * checks on what arrived.
 */
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { startLocal, type LocalOptions, type LocalStack } from '../../../src/local/index.js';
import { DEMO_CREDENTIALS } from '../../helpers/local-stack.js';
import { startSignet, type SignetChild } from '../../helpers/signet-child.js';
import { tempDir } from '../../agent/harness.js';
import { checkSequence, describeSequence, isExact } from './sequence.js';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const DEMO_KEYS = {
  AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
};

/** Fast retries once a fault ends: the wait never grows past half a second. */
export const BACKOFF = 'backoff_config: { min_period: 50ms, max_period: 500ms }';

/** What the agent calls; the scenarios read back with other operations. */
export const AGENT_OPERATIONS = new Set([
  'CreateLogGroup',
  'CreateLogStream',
  'PutLogEvents',
  'PutObject',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'PutRecordBatch',
  'PutRecords',
]);

/** A stack of the scenario's own, closed when the file's tests end. */
export async function ownLocal(options: LocalOptions = {}): Promise<LocalStack> {
  const local = await startLocal(options);
  cleanups.push(() => local.close());
  return local;
}

export function workDir(): string {
  const d = tempDir('signet-aws-rel-');
  cleanups.push(() => d.remove());
  return d.path;
}

export interface AgentSpec {
  /** Each job tails `<dir>/<job>.log`, labelled `app: <job>`. */
  readonly jobs: readonly string[];
  /** The `clients:` list, indented for `configs[0]`. */
  readonly clients: string;
  readonly env?: Record<string, string>;
}

/** The agent's config: one logs config, `rel`, positions saved every 50 ms. */
export function agentYaml(dir: string, spec: AgentSpec): string {
  const scrape = spec.jobs
    .map(
      (job) => `    - job_name: ${job}
      static_configs: [{ labels: { app: ${job}, __path__: "${dir}/${job}.log" } }]`,
    )
    .join('\n');
  return `logs:
  positions_directory: ${dir}/positions
  global:
    file_watch_config: { min_poll_frequency: 25ms, max_poll_frequency: 100ms }
  configs:
  - name: rel
    positions: { sync_period: 50ms }
    clients:
${spec.clients}
    scrape_configs:
${scrape}
`;
}

export function runAgent(dir: string, spec: AgentSpec): Promise<SignetChild> {
  return startSignet(dir, agentYaml(dir, spec), spec.env ?? DEMO_KEYS);
}

/** Exactly 1…n, each once, ascending; the message says what broke. */
export function assertExact(what: string, seqs: readonly number[], n: number): void {
  const report = checkSequence(seqs, 1, n);
  assert.ok(isExact(report), `${what}: ${describeSequence(report)}`);
}

/** Exactly once each, in any order (S3 objects and retried records have no total order). */
export function assertEachOnce(what: string, seqs: readonly number[], n: number): void {
  const report = checkSequence(
    [...seqs].sort((a, b) => a - b),
    1,
    n,
  );
  assert.ok(isExact(report), `${what}: ${describeSequence(report)}`);
}
