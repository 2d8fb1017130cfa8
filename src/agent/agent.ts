/**
 * The running agent: one credential registry and clock shared by every
 * destination, the pipelines the configuration asks for (of whatever kind),
 * and the agent's own HTTP server. It knows pipelines only through the
 * PipelineKind and Pipeline interfaces (src/pipelines/pipeline.ts).
 *
 * A reload (SIGHUP, `/-/reload`) prepares every new or changed pipeline
 * first — a configuration that cannot be built is refused and everything
 * keeps running — then keeps the unchanged ones, restarts the changed ones
 * and starts or stops the others. A restarted pipeline loses nothing: what
 * it had not sent stays in its WAL and is sent by the new one.
 */
import { isDeepStrictEqual } from 'node:util';
import { CorrectedClock } from '../aws/clock.js';
import { CredentialRegistry } from '../aws/credentials/registry.js';
import type { AgentConfig } from '../config/agent/types.js';
import { ConfigFileError, formatProblem, type ConfigProblem } from '../config/yaml/config-error.js';
import { createLogger } from '../log.js';
import { BUILTIN_PIPELINE_KINDS } from '../pipelines/builtin.js';
import {
  pipelinesOf,
  type Pipeline,
  type PipelineContext,
  type PipelineKind,
  type PipelineKindMetrics,
  type PipelineSpec,
  type PreparedPipeline,
} from '../pipelines/pipeline.js';
import { startAgentServer, type AgentServer } from '../server/http-server.js';
import { jsonDocument, RouteTable } from '../server/routes.js';
import { SIGNET_USER_AGENT } from '../version.js';
import { agentMetrics, type ConfigLoads } from './agent-metrics.js';
import { buildInfo } from './build-info.js';

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
  /** The pipeline kinds to run; the built-in ones by default. */
  readonly kinds?: readonly PipelineKind[];
}

/** How long a reload lets a restarted pipeline's queues drain before the WAL takes over. */
const RELOAD_DRAIN_MS = 1000;

interface Running {
  readonly spec: PipelineSpec;
  readonly pipeline: Pipeline;
}

const keyOf = (spec: { kind: string; name: string }): string => `${spec.kind}/${spec.name}`;

export class Agent {
  private reloading: Promise<string | undefined> = Promise.resolve(undefined);
  /** Replaced whole by reloads; metrics and routes read it through a closure. */
  private running: readonly Running[] = [];

  private constructor(
    private config: AgentConfig,
    readonly server: AgentServer,
    private readonly credentials: CredentialRegistry,
    readonly log: ReturnType<typeof createLogger>,
    private readonly context: PipelineContext,
    private readonly kinds: readonly PipelineKind[],
    private readonly options: AgentOptions,
    private readonly configLoads: ConfigLoads,
    /** By kind: keeps a stopped pipeline's final counts in the kind's counters. */
    private readonly kindMetrics: ReadonlyMap<string, PipelineKindMetrics>,
  ) {}

  /** The running pipelines, of every kind. */
  get pipelines(): readonly Pipeline[] {
    return this.running.map((r) => r.pipeline);
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
    const routes = new RouteTable();
    const { registry, configLoads } = agentMetrics({ credentials, clock, build: buildInfo() });
    const context: PipelineContext = {
      credentials,
      clock,
      userAgent: SIGNET_USER_AGENT,
      log,
      env,
      routes,
      tuning: { segmentBytes: options.segmentBytes, truncateEveryMs: options.truncateEveryMs },
      registry,
    };
    const kinds = options.kinds ?? BUILTIN_PIPELINE_KINDS;
    const holder: { agent?: Agent } = {};
    const all = (): readonly Pipeline[] => holder.agent?.pipelines ?? [];
    const kindMetrics = new Map<string, PipelineKindMetrics>();
    for (const kind of kinds) {
      const metrics = kind.registerMetrics?.(registry, () => pipelinesOf(all(), kind));
      if (metrics) kindMetrics.set(kind.kind, metrics);
      for (const route of kind.routes?.(() => pipelinesOf(all(), kind)) ?? []) routes.add(route);
    }
    routes.add(jsonDocument('/agent/api/v1/credentials', () => credentials.statuses()));
    routes.add(jsonDocument('/agent/api/v1/pipelines', () => all().map((p) => p.status())));
    // Whatever fails from here on (a bad configuration, a busy port) must not
    // leave credential refreshes or pipelines running in a process that exits.
    let server: AgentServer | undefined;
    try {
      const prepared = await prepareAll(kinds, config, context, new Map());
      server = await startAgentServer(
        s.http_listen_address,
        options.listenPort ?? s.http_listen_port,
        {
          registry,
          ready: () => true,
          routes,
          ...(options.loadConfig ? { reload: () => holder.agent!.reload() } : {}),
        },
      );
      const agent = new Agent(
        config,
        server,
        credentials,
        log,
        context,
        kinds,
        options,
        configLoads,
        kindMetrics,
      );
      holder.agent = agent;
      agent.running = await startAll(prepared);
    } catch (error) {
      // startAll has already stopped whatever it started before failing.
      credentials.close();
      await server?.close();
      throw error;
    }
    const agent = holder.agent;
    configLoads.succeeded();
    log.info({ url: server.url, pipelines: agent.running.length }, 'Signet is running');
    return agent;
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
    let why: string | undefined;
    try {
      const loaded = load();
      await this.apply(loaded.config, loaded.warnings);
      this.configLoads.succeeded();
    } catch (error) {
      this.configLoads.failed();
      why =
        error instanceof ConfigFileError
          ? error.problems.map((p) => formatProblem(this.config.source, p)).join('; ')
          : String((error as Error).message ?? error);
      this.log.error(`configuration not reloaded, the running one stays: ${why}`);
    }
    return why;
  }

  private async apply(config: AgentConfig, warnings: readonly ConfigProblem[]): Promise<void> {
    logWarnings(this.log, config, warnings);
    if (!isDeepStrictEqual(this.config.file.server, config.file.server))
      this.log.warn('server settings changed; they take effect when Signet restarts');
    const current = new Map(this.running.map((r) => [keyOf(r.spec), r]));
    // Everything new or changed is built before anything running is touched.
    const prepared = await prepareAll(this.kinds, config, this.context, current);
    const wanted = new Set(prepared.map((p) => keyOf(p.spec)));
    let stopped = 0;
    let restarted = 0;
    for (const r of this.running) {
      const next = prepared.find((p) => keyOf(p.spec) === keyOf(r.spec));
      if (next?.keep) continue;
      try {
        await r.pipeline.stop(RELOAD_DRAIN_MS, wanted.has(keyOf(r.spec)));
      } finally {
        this.kindMetrics.get(r.pipeline.kind)?.retire(r.pipeline);
      }
      if (next === undefined) stopped++;
      else restarted++;
    }
    const kept = prepared.filter((p) => p.keep).length;
    this.running = await startAll(prepared);
    this.config = config;
    this.log.info(
      { kept, restarted, started: prepared.length - kept - restarted, stopped },
      'configuration reloaded',
    );
  }

  async stop(drainMs = 5000): Promise<void> {
    await this.reloading;
    await Promise.all(this.running.map((r) => r.pipeline.stop(drainMs, false)));
    this.credentials.close();
    await this.server.close();
  }
}

interface Planned {
  readonly spec: PipelineSpec;
  /** The running pipeline, unchanged: kept as it is. */
  readonly keep?: Running;
  readonly prepared?: PreparedPipeline;
}

/** Every pipeline `config` asks for: the unchanged ones kept, the others prepared. */
async function prepareAll(
  kinds: readonly PipelineKind[],
  config: AgentConfig,
  context: PipelineContext,
  current: ReadonlyMap<string, Running>,
): Promise<Planned[]> {
  const planned: Planned[] = [];
  for (const kind of kinds) {
    for (const spec of kind.specs(config)) {
      const running = current.get(keyOf(spec));
      if (running && isDeepStrictEqual(running.spec.config, spec.config)) {
        planned.push({ spec, keep: running });
        continue;
      }
      planned.push({ spec, prepared: await kind.prepare(spec, context) });
    }
  }
  return planned;
}

/** Starts what is prepared; if one fails, stops those it started (kept ones stay) and throws. */
async function startAll(planned: readonly Planned[]): Promise<Running[]> {
  const out: Running[] = [];
  try {
    for (const p of planned)
      out.push(p.keep ?? { spec: p.spec, pipeline: await p.prepared!.start() });
  } catch (error) {
    const started = out.filter((r) => !planned.some((p) => p.keep === r));
    await Promise.all(started.map((r) => r.pipeline.stop(0, false)));
    throw error;
  }
  return out;
}

function logWarnings(
  log: ReturnType<typeof createLogger>,
  config: AgentConfig,
  warnings: readonly ConfigProblem[],
): void {
  for (const w of warnings)
    log.warn({ at: `${config.source}:${w.line ?? 0}:${w.column ?? 0}`, key: w.keyPath }, w.message);
}
