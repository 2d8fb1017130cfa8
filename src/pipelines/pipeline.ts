/**
 * The seam between the agent and what it runs. A pipeline takes telemetry in
 * (scrape, tail, receive), processes it, buffers it in its WAL and delivers
 * it to its destinations; the agent starts, reloads, stops and reports on
 * pipelines without knowing their kind. Metrics is one kind; logs and traces
 * plug in the same way, by adding a PipelineKind to the list the agent is
 * given (see builtin.ts) — never by changing src/agent/.
 *
 * Modelled on the OpenTelemetry Collector's factories: a kind turns its part
 * of the configuration into specs, a spec is prepared (validated and built,
 * nothing started, nothing touched) and only then started, so a reload can
 * refuse a broken configuration before anything running is stopped.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { CorrectedClock } from '../aws/clock.js';
import type { CredentialRegistry } from '../aws/credentials/registry.js';
import type { AgentConfig } from '../config/agent/types.js';
import type { Route, RouteTable } from '../server/routes.js';

/** One pipeline the configuration asks for. */
export interface PipelineSpec<C = unknown> {
  /** The kind's name: `metrics`, `logs`, `traces`. */
  readonly kind: string;
  /** Unique within the kind: `metrics.configs[].name` and the like. */
  readonly name: string;
  /** Where it is configured, for messages: `metrics.configs[0]`. */
  readonly path: string;
  /**
   * Everything that configures it, shared settings included. A reload keeps
   * a running pipeline whose config is deep-equal to the new one's, and
   * restarts it otherwise.
   */
  readonly config: C;
}

/** What the agent lends every pipeline. */
export interface PipelineContext {
  /** One provider per distinct credential configuration, shared by every destination. */
  readonly credentials: CredentialRegistry;
  readonly clock: CorrectedClock;
  /** `Signet/<version>`. */
  readonly userAgent: string;
  readonly log: Logger;
  /** The environment the credential chain and endpoint overrides read. */
  readonly env: NodeJS.ProcessEnv;
  /** The agent's HTTP server, for receivers and per-pipeline documents. */
  readonly routes: RouteTable;
  /** Test-sized WAL segments and truncation; unset in production. */
  readonly tuning: PipelineTuning;
  /**
   * The agent's self-metrics registry, for what a pipeline observes as it
   * happens (histograms, summaries). It outlives every pipeline, so those
   * keep their counts across restarts; the same registry is given to
   * registerMetrics.
   */
  readonly registry: Registry;
}

export interface PipelineTuning {
  readonly segmentBytes?: number | undefined;
  readonly truncateEveryMs?: number | undefined;
}

/** A pipeline validated and built, ready to start; dropping it leaves nothing behind. */
export interface PreparedPipeline {
  start(): Promise<Pipeline>;
}

/** A running pipeline. */
export interface Pipeline {
  readonly kind: string;
  readonly name: string;
  /**
   * Stops taking data in, lets destinations send for up to drainMs (what they
   * could not send stays in the WAL) and closes the WAL. `restarting`: the
   * same pipeline starts again at once from its WAL (a reload), so sources
   * must not mark their data as ended (no staleness markers).
   */
  stop(drainMs: number, restarting: boolean): Promise<void>;
  /** For the status API: plain data, no secrets. */
  status(): PipelineStatus;
}

export interface PipelineStatus {
  readonly kind: string;
  readonly name: string;
  readonly [detail: string]: unknown;
}

export interface PipelineKind<C = unknown, P extends Pipeline = Pipeline> {
  readonly kind: string;
  /** The pipelines of this kind that `config` asks for; none when its section is absent. */
  specs(config: AgentConfig): readonly PipelineSpec<C>[];
  /** Validates and builds one pipeline; throws a SignetError naming the key path on a problem. */
  prepare(spec: PipelineSpec<C>, context: PipelineContext): Promise<PreparedPipeline>;
  /**
   * Registers this kind's self-metrics once, for the agent's lifetime, reading
   * the running pipelines of the kind at collection time. Counters must not
   * go back when a pipeline restarts: the agent hands every pipeline it has
   * stopped to the returned `retire`, so its final counts stay in them.
   */
  registerMetrics?(registry: Registry, running: () => readonly P[]): PipelineKindMetrics<P> | void;
  /** Documents and endpoints for the kind as a whole (e.g. the targets API). */
  routes?(running: () => readonly P[]): readonly Route[];
}

/** What a kind's self-metrics need to hear of after registration. */
export interface PipelineKindMetrics<P extends Pipeline = Pipeline> {
  /**
   * `pipeline` has stopped (for good, or to be replaced by a restarted one).
   * Called once, after its stop() settled; it may still be listed as running
   * until its successor has started, and must then be counted only once.
   */
  retire(pipeline: P): void;
}

/** The running pipelines of `kind`, typed. */
export function pipelinesOf<P extends Pipeline>(
  all: readonly Pipeline[],
  kind: PipelineKind<unknown, P>,
): P[] {
  return all.filter((p): p is P => p.kind === kind.kind);
}
