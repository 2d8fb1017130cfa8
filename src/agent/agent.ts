/**
 * The running agent: one credential registry and clock shared by every
 * destination, the metrics instances, and the agent's own HTTP server.
 */
import { readFileSync } from 'node:fs';
import { CorrectedClock } from '../aws/clock.js';
import { CredentialRegistry } from '../aws/credentials/registry.js';
import type { AgentConfig } from '../config/agent/types.js';
import type { ConfigProblem } from '../config/yaml/config-error.js';
import { createLogger } from '../log.js';
import { startAgentServer, type AgentServer } from '../server/http-server.js';
import { RunningInstance } from './instance.js';
import { agentMetrics } from './metrics.js';

export interface AgentOptions {
  /** Overrides for tests: small WAL segments, fast truncation, a port. */
  readonly segmentBytes?: number;
  readonly truncateEveryMs?: number;
  readonly listenPort?: number;
  readonly logStream?: NodeJS.WritableStream;
  /** The environment the credential chain reads; process.env by default. */
  readonly env?: NodeJS.ProcessEnv;
}

export function signetVersion(): string {
  const pkg = JSON.parse(
    readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return pkg.version;
}

export class Agent {
  private constructor(
    readonly instances: readonly RunningInstance[],
    readonly server: AgentServer,
    private readonly credentials: CredentialRegistry,
    readonly log: ReturnType<typeof createLogger>,
  ) {}

  static async start(
    config: AgentConfig,
    warnings: readonly ConfigProblem[],
    options: AgentOptions = {},
  ): Promise<Agent> {
    const s = config.file.server;
    const log = createLogger(s.log_level, s.log_format, options.logStream);
    for (const w of warnings)
      log.warn(
        { at: `${config.source}:${w.line ?? 0}:${w.column ?? 0}`, key: w.keyPath },
        w.message,
      );
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
    const userAgent = `Signet/${signetVersion()}`;
    const instances: RunningInstance[] = [];
    for (const inst of config.instances) {
      instances.push(
        await RunningInstance.start(inst, {
          walDirectory: config.walDirectory,
          walCleanupAgeMs: config.file.metrics.wal_cleanup_age,
          externalLabels: config.file.metrics.global.external_labels,
          credentials,
          clock,
          userAgent,
          log,
          env,
          segmentBytes: options.segmentBytes,
          truncateEveryMs: options.truncateEveryMs,
        }),
      );
    }
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
      },
    );
    log.info({ url: server.url, instances: instances.length }, 'Signet is running');
    return new Agent(instances, server, credentials, log);
  }

  async stop(drainMs = 5000): Promise<void> {
    await Promise.all(this.instances.map((i) => i.stop(drainMs)));
    this.credentials.close();
    await this.server.close();
  }
}
