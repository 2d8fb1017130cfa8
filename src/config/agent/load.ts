/**
 * Reads Grafana Agent static-mode YAML: `${VAR}` expansion when asked
 * (`-config.expand-env`), the schema, and the checks that need the whole file,
 * every problem located by file:line:column and key path.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AwsAuthConfigError, parseAwsAuth, type AwsAuth } from '../aws-auth.js';
import { ConfigFileError, type ConfigIssue, type ConfigProblem } from '../yaml/config-error.js';
import { locateIssues, parseYamlFile } from '../yaml/document.js';
import { formatKeyPath, translateIssues } from '../yaml/issues.js';
import {
  agentFileSchema,
  type AgentFile,
  type RemoteWriteFile,
  type ScrapeConfigFile,
} from './schema.js';
import { keysAt, unimplementedPaths } from './schema-walk.js';
import type { AgentConfig, MetricsInstance, RemoteWriteTarget, ScrapeJob } from './types.js';

export interface LoadOptions {
  readonly expandEnv?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

export interface LoadedConfig {
  readonly config: AgentConfig;
  /** Keys understood but not implemented, and other things worth saying; never fatal. */
  readonly warnings: readonly ConfigProblem[];
}

/** Grafana Agent's expansion: `${VAR}`, `${VAR:-default}`, `$VAR`, and `$$` for a literal `$`. */
export function expandEnv(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced?: string, fallback?: string, bare?: string) => {
      if (match === '$$') return '$';
      const value = env[braced ?? bare ?? ''];
      return value === undefined || value === '' ? (fallback ?? '') : value;
    },
  );
}

function awsOf(
  block: { sigv4?: unknown; aws_auth?: unknown; authorization?: { sigv4?: unknown } | undefined },
  path: PropertyKey[],
  issues: ConfigIssue[],
  warnings: ConfigIssue[],
): AwsAuth | undefined {
  const present = (['sigv4', 'aws_auth'] as const).filter((k) => block[k] !== undefined);
  if (block.authorization?.sigv4 !== undefined) {
    warnings.push({
      path: [...path, 'authorization', 'sigv4'],
      message: 'sigv4 belongs beside authorization, not inside it; Signet uses it as sigv4:',
      hint: 'move the block up one level: sigv4: { region: … }',
    });
    present.push('sigv4');
  }
  if (present.length > 1) {
    issues.push({ path, message: 'has both sigv4 and aws_auth', hint: 'keep one of them' });
    return undefined;
  }
  const key = present[0];
  if (!key) return undefined;
  const raw = block.authorization?.sigv4 ?? block[key];
  const keyPath =
    block.authorization?.sigv4 !== undefined ? [...path, 'authorization', 'sigv4'] : [...path, key];
  try {
    return parseAwsAuth(raw ?? {}, formatKeyPath(keyPath));
  } catch (error) {
    if (!(error instanceof AwsAuthConfigError)) throw error;
    const sub = error.path.slice(formatKeyPath(keyPath).length).replace(/^\./, '');
    issues.push({
      path: sub ? [...keyPath, ...sub.split('.')] : keyPath,
      message: error.message.slice(error.path.length + 2),
      hint: error.hint ?? 'fix the value',
    });
    return undefined;
  }
}

function checkAuthExclusive(
  block: ScrapeConfigFile | RemoteWriteFile,
  path: PropertyKey[],
  issues: ConfigIssue[],
): void {
  const used = (
    [
      'basic_auth',
      'authorization',
      'bearer_token',
      'bearer_token_file',
      'sigv4',
      'aws_auth',
    ] as const
  ).filter(
    (k) =>
      block[k] !== undefined &&
      !(k === 'authorization' && block.authorization?.sigv4 !== undefined),
  );
  if (used.length > 1)
    issues.push({
      path,
      message: `sets ${used.join(' and ')}; at most one way to authenticate can be used`,
      hint: 'keep the one the endpoint expects',
    });
}

/**
 * Prometheus names an unnamed queue by a hash of its whole config, so two
 * remote_writes to one URL (say, signed for two regions) are two queues.
 */
function queueName(rw: RemoteWriteFile): string {
  return rw.name ?? createHash('sha256').update(JSON.stringify(rw)).digest('hex').slice(0, 6);
}

function build(
  file: AgentFile,
  source: string,
  issues: ConfigIssue[],
  warnings: ConfigIssue[],
): AgentConfig {
  const m = file.metrics;
  if (m.wal_directory !== undefined && m.wal_dir !== undefined)
    issues.push({
      path: ['metrics', 'wal_dir'],
      message: 'is set together with wal_directory',
      hint: 'keep wal_directory',
    });
  const g = m.global;
  const remoteWrites = (
    list: readonly RemoteWriteFile[],
    base: PropertyKey[],
  ): RemoteWriteTarget[] => {
    const seen = new Set<string>();
    return list.map((rw, i) => {
      const path = [...base, i];
      checkAuthExclusive(rw, path, issues);
      const name = queueName(rw);
      if (seen.has(name))
        issues.push({
          path: [...path, 'name'],
          message: `repeats the remote_write name '${name}'`,
          hint: 'give each remote_write its own name',
        });
      seen.add(name);
      return { file: rw, path: formatKeyPath(path), name, aws: awsOf(rw, path, issues, warnings) };
    });
  };
  const globalRw = remoteWrites(g.remote_write, ['metrics', 'global', 'remote_write']);
  const names = new Set<string>();
  const instances: MetricsInstance[] = m.configs.map((inst, i) => {
    const base: PropertyKey[] = ['metrics', 'configs', i];
    if (names.has(inst.name))
      issues.push({
        path: [...base, 'name'],
        message: `repeats the instance name '${inst.name}'`,
        hint: 'names must be unique',
      });
    names.add(inst.name);
    const jobNames = new Set<string>();
    const jobs: ScrapeJob[] = inst.scrape_configs.map((sc, j) => {
      const path = [...base, 'scrape_configs', j];
      if (jobNames.has(sc.job_name))
        issues.push({
          path: [...path, 'job_name'],
          message: `repeats the job name '${sc.job_name}'`,
          hint: 'job names must be unique within an instance',
        });
      jobNames.add(sc.job_name);
      const intervalMs = sc.scrape_interval ?? g.scrape_interval;
      const timeoutMs = sc.scrape_timeout ?? Math.min(g.scrape_timeout, intervalMs);
      if (timeoutMs > intervalMs)
        issues.push({
          path: [...path, sc.scrape_timeout !== undefined ? 'scrape_timeout' : 'scrape_interval'],
          message: `scrape timeout (${timeoutMs / 1000}s) is greater than the scrape interval (${intervalMs / 1000}s)`,
          hint: 'make scrape_timeout at most scrape_interval',
        });
      checkAuthExclusive(sc, path, issues);
      return {
        file: sc,
        path: formatKeyPath(path),
        intervalMs,
        timeoutMs,
        aws: awsOf(sc, path, issues, warnings),
      };
    });
    const own = remoteWrites(inst.remote_write, [...base, 'remote_write']);
    return {
      name: inst.name,
      path: formatKeyPath(base),
      jobs,
      remoteWrite: own.length > 0 ? own : globalRw,
      hostFilter: inst.host_filter,
      hostFilterRelabelConfigs: inst.host_filter_relabel_configs,
    };
  });
  return {
    file,
    source,
    walDirectory: m.wal_directory ?? m.wal_dir ?? 'data-agent/',
    globalRemoteWrite: globalRw,
    instances,
  };
}

export function parseAgentConfig(
  text: string,
  file: string,
  options: LoadOptions = {},
): LoadedConfig {
  const expanded = options.expandEnv ? expandEnv(text, options.env ?? process.env) : text;
  const located = parseYamlFile(expanded, file);
  const data = located.data ?? {};
  const parsed = agentFileSchema.safeParse(data);
  if (!parsed.success) {
    const issues = translateIssues(parsed.error.issues, data, (path) =>
      keysAt(agentFileSchema, path),
    );
    throw new ConfigFileError(file, locateIssues(located, issues));
  }
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = unimplementedPaths(agentFileSchema, data).map((path) => ({
    path,
    atKey: true,
    message: 'Signet understands this key but does not implement it yet: it has no effect',
    hint: 'remove it, or keep it knowing Signet ignores it for now',
  }));
  const config = build(parsed.data, file, issues, warnings);
  if (issues.length > 0) throw new ConfigFileError(file, locateIssues(located, issues));
  return { config, warnings: locateIssues(located, warnings) };
}

export function loadAgentConfig(path: string, options: LoadOptions = {}): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(path, [
      {
        keyPath: '',
        message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
        hint: 'check the path given to -config.file',
      },
    ]);
  }
  return parseAgentConfig(text, path, options);
}
