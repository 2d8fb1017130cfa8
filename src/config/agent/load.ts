/**
 * Reads Grafana Agent static-mode YAML: `${VAR}` expansion when asked
 * (`-config.expand-env`), the schema, and the checks that need the whole file,
 * every problem located by file:line:column and key path. Everything here is
 * synchronous and starts nothing; validateAgentConfig adds what needs a look
 * outside the file (the signing region).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigFileError, type ConfigIssue, type ConfigProblem } from '../yaml/config-error.js';
import { locateIssues, parseYamlFile } from '../yaml/document.js';
import { formatKeyPath, translateIssues, valueAt } from '../yaml/issues.js';
import {
  checkReadableFiles,
  checkRelabel,
  checkStaticTargets,
  checkUrlHost,
  hostNamesRegion,
  type RegionNeed,
} from './checks.js';
import {
  BRACED_REFERENCE,
  EXPAND_ENV_HINT,
  envReferencePaths,
  expandEnv,
  refuseUnsetVariables,
} from './env.js';
import { agentFileSchema, type AgentFile, type RemoteWriteFile } from './schema.js';
import { keysAt, unimplementedPaths } from './schema-walk.js';
import { awsOf, checkAuthExclusive, signingKeyPath } from './auth-checks.js';
import { logsClientIssues, logsClientRegionNeeds } from '../../pipelines/logs/client-options.js';
import { buildLogs } from './logs-load.js';
import type { AgentConfig, MetricsInstance, RemoteWriteTarget, ScrapeJob } from './types.js';
import { unimplementedIssue } from './unimplemented.js';

export { expandEnv } from './env.js';

export interface LoadOptions {
  readonly expandEnv?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Keys Signet does not implement are warnings instead of errors (--allow-unimplemented). */
  readonly allowUnimplemented?: boolean;
  /** `-server.http.address`: replaces server.http_listen_address and http_listen_port. */
  readonly httpListen?: { readonly address: string; readonly port: number };
}

/** A signed block whose region must come from outside the file, located for the error if none does. */
export interface LocatedRegionNeed extends RegionNeed {
  readonly keyPath: string;
  readonly line?: number;
  readonly column?: number;
}

export interface LoadedConfig {
  readonly config: AgentConfig;
  /** Things worth saying that do not stop the agent, e.g. keys allowed by --allow-unimplemented. */
  readonly warnings: readonly ConfigProblem[];
  /** Signed blocks whose region is resolved from the environment, profile or IMDS. */
  readonly regionNeeds: readonly LocatedRegionNeed[];
  /** Where wal_directory (or wal_dir) is written; undefined for the default. */
  readonly walLocation: ConfigProblem | undefined;
}

interface Collected {
  readonly issues: ConfigIssue[];
  readonly warnings: ConfigIssue[];
  readonly regionNeeds: RegionNeed[];
  readonly expandEnvOn: boolean;
  readonly globalTimeoutWritten: boolean;
}

/**
 * Prometheus names an unnamed queue by a hash of its whole config, so two
 * remote_writes to one URL (say, signed for two regions) are two queues.
 */
function queueName(rw: RemoteWriteFile): string {
  return rw.name ?? createHash('sha256').update(JSON.stringify(rw)).digest('hex').slice(0, 6);
}

function build(file: AgentFile, source: string, c: Collected, options: LoadOptions): AgentConfig {
  const { issues, warnings } = c;
  const m = file.metrics;
  if (m.wal_directory !== undefined && m.wal_dir !== undefined)
    issues.push({
      path: ['metrics', 'wal_dir'],
      message: 'is set together with wal_directory',
      hint: 'keep wal_directory',
    });
  const g = m.global;
  // As Prometheus: only a timeout written down is held against the interval;
  // the 10s default shrinks to a shorter interval.
  if (c.globalTimeoutWritten && g.scrape_timeout > g.scrape_interval)
    issues.push({
      path: ['metrics', 'global', 'scrape_timeout'],
      message: `global scrape timeout (${g.scrape_timeout / 1000}s) is greater than the scrape interval (${g.scrape_interval / 1000}s)`,
      hint: 'make scrape_timeout at most scrape_interval, as Prometheus requires',
    });
  const globalTimeout = c.globalTimeoutWritten
    ? g.scrape_timeout
    : Math.min(g.scrape_timeout, g.scrape_interval);
  const remoteWrites = (
    list: readonly RemoteWriteFile[],
    base: PropertyKey[],
  ): RemoteWriteTarget[] => {
    const seen = new Set<string>();
    return list.map((rw, i) => {
      const path = [...base, i];
      checkAuthExclusive(rw, path, issues);
      checkRelabel(rw.write_relabel_configs, [...path, 'write_relabel_configs'], issues);
      checkUrlHost(rw.url, [...path, 'url'], issues);
      checkReadableFiles(rw, path, issues);
      const name = queueName(rw);
      if (seen.has(name))
        issues.push({
          path: [...path, 'name'],
          message: `repeats the remote_write name '${name}'`,
          hint: 'give each remote_write its own name',
        });
      seen.add(name);
      const aws = awsOf(rw, path, issues, warnings);
      const host = new URL(rw.url).host;
      if (aws && !aws.region && !hostNamesRegion(host))
        c.regionNeeds.push({ path: signingKeyPath(rw, path), host, profile: aws.spec.profile });
      return { file: rw, path: formatKeyPath(path), name, aws };
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
    checkRelabel(
      inst.host_filter_relabel_configs,
      [...base, 'host_filter_relabel_configs'],
      issues,
    );
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
      const timeoutMs = sc.scrape_timeout ?? Math.min(globalTimeout, intervalMs);
      if (timeoutMs > intervalMs)
        issues.push({
          path: [...path, sc.scrape_timeout !== undefined ? 'scrape_timeout' : 'scrape_interval'],
          message: `scrape timeout (${timeoutMs / 1000}s) is greater than the scrape interval (${intervalMs / 1000}s)`,
          hint: 'make scrape_timeout at most scrape_interval, as Prometheus requires',
        });
      checkAuthExclusive(sc, path, issues);
      checkRelabel(sc.relabel_configs, [...path, 'relabel_configs'], issues);
      checkRelabel(sc.metric_relabel_configs, [...path, 'metric_relabel_configs'], issues);
      checkStaticTargets(sc.static_configs, [...path, 'static_configs'], c.expandEnvOn, issues);
      checkReadableFiles(sc, path, issues);
      sc.http_sd_configs.forEach((hsd, k) => {
        checkAuthExclusive(hsd, [...path, 'http_sd_configs', k], issues);
        checkReadableFiles(hsd, [...path, 'http_sd_configs', k], issues);
      });
      const aws = awsOf(sc, path, issues, warnings);
      // A target whose host names no region is signed for the region found outside the file.
      const unnamed = sc.static_configs
        .flatMap((group) => group.targets)
        .find((target) => !hostNamesRegion(target));
      if (aws && !aws.region && unnamed !== undefined)
        c.regionNeeds.push({
          path: signingKeyPath(sc, path),
          host: unnamed,
          profile: aws.spec.profile,
        });
      return { file: sc, path: formatKeyPath(path), intervalMs, timeoutMs, aws };
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
  const listen = options.httpListen;
  const walDirectory = m.wal_directory ?? m.wal_dir ?? 'data-agent/';
  const logs = buildLogs(file.logs, c, walDirectory);
  // What each AWS logs client's sink would refuse at start, refused here with its place,
  // and the region each must find when the file gives none.
  issues.push(...logsClientIssues(logs, issues));
  c.regionNeeds.push(...logsClientRegionNeeds(logs, issues));
  return {
    file: listen
      ? {
          ...file,
          server: {
            ...file.server,
            http_listen_address: listen.address,
            http_listen_port: listen.port,
          },
        }
      : file,
    source,
    walDirectory,
    globalRemoteWrite: globalRw,
    instances,
    logs,
  };
}

/** Problems as a reader meets them, top to bottom; those without a place keep theirs at the end. */
function inFileOrder(problems: ConfigProblem[]): ConfigProblem[] {
  const rank = (p: ConfigProblem): number =>
    p.line === undefined ? Number.MAX_SAFE_INTEGER : p.line * 10_000 + (p.column ?? 0);
  return problems.sort((a, b) => rank(a) - rank(b));
}

export function parseAgentConfig(
  text: string,
  file: string,
  options: LoadOptions = {},
): LoadedConfig {
  const expandEnvOn = options.expandEnv ?? false;
  if (expandEnvOn) refuseUnsetVariables(text, file, options.env ?? process.env);
  const expanded = expandEnvOn ? expandEnv(text, options.env ?? process.env) : text;
  const located = parseYamlFile(expanded, file);
  const data = located.data ?? {};
  // An unexpanded `${VAR}` is the likeliest cause of any problem with the value holding it.
  const withEnvHint = (issue: ConfigIssue): ConfigIssue => {
    const value = valueAt(data, issue.path);
    return !expandEnvOn && typeof value === 'string' && BRACED_REFERENCE.test(value)
      ? { ...issue, hint: EXPAND_ENV_HINT }
      : issue;
  };
  const parsed = agentFileSchema.safeParse(data);
  if (!parsed.success) {
    const issues = translateIssues(parsed.error.issues, data, (path) =>
      keysAt(agentFileSchema, path),
    ).map(withEnvHint);
    throw new ConfigFileError(file, inFileOrder(locateIssues(located, issues)));
  }
  const allowed = options.allowUnimplemented ?? false;
  const unimplemented = unimplementedPaths(agentFileSchema, data).map((path) =>
    unimplementedIssue(path, allowed),
  );
  const c: Collected = {
    issues: allowed ? [] : unimplemented,
    warnings: allowed ? unimplemented : [],
    regionNeeds: [],
    expandEnvOn,
    globalTimeoutWritten: valueAt(data, ['metrics', 'global', 'scrape_timeout']) !== undefined,
  };
  const config = build(parsed.data, file, c, options);
  if (c.issues.length > 0)
    throw new ConfigFileError(file, inFileOrder(locateIssues(located, c.issues.map(withEnvHint))));
  if (!expandEnvOn)
    for (const path of envReferencePaths(data))
      c.warnings.push({
        path,
        message: `holds ${String(BRACED_REFERENCE.exec(String(valueAt(data, path)))?.[0])}, used as written`,
        hint: EXPAND_ENV_HINT,
      });
  const needs = locateIssues(
    located,
    c.regionNeeds.map((n) => ({ path: n.path, message: '' })),
  );
  const walKey = (['wal_directory', 'wal_dir'] as const).find(
    (k) => valueAt(data, ['metrics', k]) !== undefined,
  );
  return {
    config,
    warnings: locateIssues(located, c.warnings),
    walLocation: walKey
      ? locateIssues(located, [{ path: ['metrics', walKey], message: '' }])[0]
      : undefined,
    regionNeeds: c.regionNeeds.map((need, i) => {
      const at = needs[i]!;
      return {
        ...need,
        keyPath: at.keyPath,
        ...(at.line !== undefined ? { line: at.line, column: at.column } : {}),
      };
    }),
  };
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
