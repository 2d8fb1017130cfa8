/**
 * The running agent: one credential registry and clock shared by every
 * destination, the metrics instances, and the agent's own HTTP server.
 *
 * A reload (SIGHUP, `/-/reload`) keeps the instances whose configuration is
 * unchanged, restarts the changed ones and starts or stops the others. A
 * restarted instance loses nothing: what its endpoints had not sent stays in
 * its WAL and is sent by the new one, and its targets get no staleness
 * markers in between. A file that does not load leaves everything running.
 */
import { isDeepStrictEqual } from 'node:util';
import { CorrectedClock } from '../aws/clock.js';
import { CredentialRegistry } from '../aws/credentials/registry.js';
import type { AgentConfig } from '../config/agent/types.js';
import { ConfigFileError, formatProblem, type ConfigProblem } from '../config/yaml/config-error.js';
import { createLogger } from '../log.js';
import { startAgentServer, type AgentServer } from '../server/http-server.js';
import { SIGNET_USER_AGENT, SIGNET_VERSION } from '../version.js';
import { RunningInstance, type InstanceDeps } from './instance.js';
import { agentMetrics } from './metrics.js';

export interface AgentOptions {
  /** Overrides for tests: small WAL segments, fast truncation, a port. */
  readonly segmentBytes?: number;
  readonly truncateEveryMs?: number;
  readonly listenPort?: number;
  readonly logStream?: NodeJS.WritableStream;
  /** The environment the credential chain reads; process.env by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** Reads the configuration again, for reloads; throws ConfigFileError when it is wrong. */
  readonly loadConfig?: () => { config: AgentConfig; warnings: readonly ConfigProblem[] };
}

/** How long a reload lets a restarted instance's queues drain before the WAL takes over. */
const RELOAD_DRAIN_MS = 1000;

export function signetVersion(): string {
  return SIGNET_VERSION;
}

export class Agent {
  private reloading: Promise<string | undefined> = Promise.resolve(undefined);

  private constructor(
    /** Mutated in place by reloads: the metrics and status closures hold this array. */
    private readonly running: RunningInstance[],
    private config: AgentConfig,
    readonly server: AgentServer,
    private readonly credentials: CredentialRegistry,
    readonly log: ReturnType<typeof createLogger>,
    private readonly deps: (config: AgentConfig) => InstanceDeps,
    private readonly options: AgentOptions,
  ) {}

  get instances(): readonly RunningInstance[] {
    return this.running;
  }

  static async start(
    config: AgentConfig,
    warnings: readonly ConfigProblem[],
    options: AgentOptions = {},
  ): Promise<Agent> {
    const s = config.file.server;
    const log = createLogger(s.log_level, s.log_format, options.logStream);
    logWarnings(log, config, warnings);
    const clock = new CorrectedClock();
    clock.onCorrection = (ms) =>
      log.warn(
        { offset_seconds: ms / 1000 },
        "this machine's clock is off from AWS's; signing with the corrected time (fix NTP)",
      );
    const env = options.env ?? process.env;
    const credentials = new CredentialRegistry({
      env,
      clock,
      background: true,
      onRefresh: (layer, e) => {
        if (e.ok) log.info({ source: e.resolution.source, layer }, 'AWS credentials ready');
        else
          log.error(
            { layer, retry_in_ms: Math.round(e.retryInMs) },
            `no usable AWS credentials yet: ${e.error.message}`,
          );
      },
    });
    const userAgent = SIGNET_USER_AGENT;
    const deps = (c: AgentConfig): InstanceDeps => ({
      walDirectory: c.walDirectory,
      walCleanupAgeMs: c.file.metrics.wal_cleanup_age,
      externalLabels: c.file.metrics.global.external_labels,
      credentials,
      clock,
      userAgent,
      log,
      env,
      segmentBytes: options.segmentBytes,
      truncateEveryMs: options.truncateEveryMs,
    });
    const instances: RunningInstance[] = [];
    for (const inst of config.instances)
      instances.push(await RunningInstance.start(inst, deps(config)));
    const registry = agentMetrics({
      queues: () => instances.flatMap((i) => i.queues),
      samplesAppended: () => instances.reduce((n, i) => n + i.storage.samplesAppended, 0),
      highestAppendedTimestampMs: () =>
        Math.max(0, ...instances.map((i) => i.storage.highestTimestampMs)),
      activeSeries: () => instances.reduce((n, i) => n + i.storage.seriesCount, 0),
      walErrors: () => instances.reduce((n, i) => n + i.storage.walErrors, 0),
      walReadSamples: () =>
        instances.reduce((n, i) => n + i.deliveries.reduce((m, d) => m + d.walReadSamples, 0), 0),
      targets: () => instances.flatMap((i) => i.scrapes.targets()),
      credentials,
      clock,
    });
    const holder: { agent?: Agent } = {};
    const server = await startAgentServer(
      s.http_listen_address,
      options.listenPort ?? s.http_listen_port,
      {
        registry,
        ready: () => true,
        documents: {
          '/agent/api/v1/metrics/targets': () =>
            instances.flatMap((i) => i.scrapes.targets().map((t) => ({ instance: i.name, ...t }))),
          '/agent/api/v1/credentials': () => credentials.statuses(),
        },
        ...(options.loadConfig ? { reload: () => holder.agent!.reload() } : {}),
      },
    );
    log.info({ url: server.url, instances: instances.length }, 'Signet is running');
    holder.agent = new Agent(instances, config, server, credentials, log, deps, options);
    return holder.agent;
  }

  /**
   * Reads the configuration again and applies it. Resolves with undefined
   * once applied, or with why it was not (the running one then stays).
   * Reloads run one at a time.
   */
  reload(): Promise<string | undefined> {
    const next = this.reloading.then(() => this.reloadNow());
    this.reloading = next.catch(() => undefined);
    return next;
  }

  private async reloadNow(): Promise<string | undefined> {
    const load = this.options.loadConfig;
    if (!load) return 'this agent was not started from a file';
    let loaded;
    try {
      loaded = load();
    } catch (error) {
      const why =
        error instanceof ConfigFileError
          ? error.problems.map((p) => formatProblem(this.config.source, p)).join('; ')
          : String((error as Error).message ?? error);
      this.log.error(`configuration not reloaded, the running one stays: ${why}`);
      return why;
    }
    await this.apply(loaded.config, loaded.warnings);
    return undefined;
  }

  private async apply(config: AgentConfig, warnings: readonly ConfigProblem[]): Promise<void> {
    logWarnings(this.log, config, warnings);
    const old = this.config;
    if (!isDeepStrictEqual(old.file.server, config.file.server))
      this.log.warn('server settings changed; they take effect when Signet restarts');
    // WAL place, cleanup age and external labels reach every instance.
    const shared = (c: AgentConfig): unknown => [
      c.walDirectory,
      c.file.metrics.wal_cleanup_age,
      c.file.metrics.global.external_labels,
    ];
    const allChanged = !isDeepStrictEqual(shared(old), shared(config));
    const wanted = new Map(config.instances.map((i) => [i.name, i]));
    const before = new Map(old.instances.map((i) => [i.name, i]));
    const kept: RunningInstance[] = [];
    let stopped = 0;
    let restarted = 0;
    for (const running of [...this.running]) {
      const next = wanted.get(running.name);
      const same =
        next !== undefined && !allChanged && isDeepStrictEqual(before.get(running.name), next);
      if (same) {
        kept.push(running);
        continue;
      }
      await running.stop(RELOAD_DRAIN_MS, next !== undefined);
      if (next === undefined) stopped++;
      else restarted++;
    }
    const started: RunningInstance[] = [];
    for (const inst of config.instances) {
      const existing = kept.find((r) => r.name === inst.name);
      started.push(existing ?? (await RunningInstance.start(inst, this.deps(config))));
    }
    this.running.splice(0, this.running.length, ...started);
    this.config = config;
    this.log.info(
      {
        kept: kept.length,
        restarted,
        started: started.length - kept.length - restarted,
        stopped,
      },
      'configuration reloaded',
    );
  }

  async stop(drainMs = 5000): Promise<void> {
    await this.reloading;
    await Promise.all(this.running.map((i) => i.stop(drainMs)));
    this.credentials.close();
    await this.server.close();
  }
}

function logWarnings(
  log: ReturnType<typeof createLogger>,
  config: AgentConfig,
  warnings: readonly ConfigProblem[],
): void {
  for (const w of warnings)
    log.warn({ at: `${config.source}:${w.line ?? 0}:${w.column ?? 0}`, key: w.keyPath }, w.message);
}
