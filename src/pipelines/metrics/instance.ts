/**
 * One metrics pipeline (`metrics.configs[]`, an "instance" in Grafana Agent's
 * words): its WAL under `wal_directory/<name>`, its series, its remote_write
 * deliveries and its scrape jobs, plus the periodic WAL truncation.
 *
 * prepareMetrics() does everything that can fail on a bad configuration —
 * regions resolved, relabel rules compiled, secrets read, signing clients
 * built — without touching the WAL or starting a scrape, so a reload can
 * refuse a broken file before stopping anything.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { createTargetSigner, type TargetSigner } from '../../aws/destination/index.js';
import {
  comparePositions,
  readWal,
  recordOf,
  WalProgress,
  WalWriteError,
  WalWriter,
  type WalPosition,
} from '../../buffer/wal/index.js';
import type { LogCallback } from '../../log.js';
import type { MetricsInstance } from '../../config/agent/types.js';
import { signingOptions } from '../../config/aws-auth.js';
import { SeriesTable } from '../../model/series.js';
import type {
  QueueConfig,
  RemoteWriteQueue,
  RemoteWriteStats,
} from '../../sinks/remote-write/index.js';
import { ScrapeManager } from '../../sources/scrape/manager.js';
import type { Pipeline, PipelineContext, PipelineStatus, PreparedPipeline } from '../pipeline.js';
import { sendMetadataPeriodically } from './metadata.js';
import { METRICS_RECORDS, SERIES_RECORD } from './records/index.js';
import { prepareQueue, type PreparedQueue } from './remote-writes.js';
import { SampleDelivery } from './sample-delivery.js';
import { metricsObservers } from './observers.js';
import { DEFAULT_FORGET_AFTER_MS, Storage } from './storage.js';

/** What configures one metrics pipeline: its own block and the `metrics:` settings it shares. */
export interface MetricsPipelineConfig {
  readonly instance: MetricsInstance;
  readonly walDirectory: string;
  readonly walCleanupAgeMs: number;
  /** wal_max_size: 0 for no bound. */
  readonly walMaxBytes: number;
  /** wal_cleanup_period: how often truncate() runs (sent segments deleted, old ones dropped). */
  readonly walCleanupPeriodMs: number;
  readonly externalLabels: Readonly<Record<string, string>>;
}

export interface QueueView {
  readonly name: string;
  readonly url: string;
  readonly config: QueueConfig;
  stats(): RemoteWriteStats;
}

/** The pipeline's WAL, for the self-metrics. */
export interface WalView {
  readonly segmentCurrent: number;
  readonly sizeBytes: number;
  /** 1 when opening it cut a torn or corrupt tail off its last segment. */
  readonly corruptions: number;
  /** Truncation runs that had segments to delete. */
  readonly truncations: number;
  /** Of those, the ones that did not finish: the series checkpoint or a deletion failed. */
  readonly truncationsFailed: number;
}

interface PreparedDestination {
  readonly name: string;
  readonly url: string;
  readonly build: PreparedQueue;
  readonly metadata: { send: boolean; sendIntervalMs: number; maxPerSend: number };
}

export async function prepareMetrics(
  config: MetricsPipelineConfig,
  context: PipelineContext,
): Promise<PreparedPipeline> {
  const { instance } = config;
  const log = context.log.child({ instance: instance.name });
  // Relabel rules were compiled by the loader (config/agent/checks.ts) on
  // start and on every reload, so a bad regex never gets this far.
  const destinations: PreparedDestination[] = [];
  for (const rw of instance.remoteWrite) {
    const build = await prepareQueue(rw, {
      externalLabels: config.externalLabels,
      credentials: context.credentials,
      clock: context.clock,
      userAgent: context.userAgent,
      env: context.env,
      log: (level, message, fields) => log[level]({ remote_name: rw.name, ...fields }, message),
    });
    const meta = rw.file.metadata_config;
    destinations.push({
      name: rw.name,
      url: rw.file.url,
      build,
      metadata: {
        send: meta.send,
        sendIntervalMs: meta.send_interval,
        maxPerSend: meta.max_samples_per_send,
      },
    });
  }
  // Each signed job's fallback region is found (env, profile, IMDS) before scraping starts.
  const signers = new Map<string, TargetSigner>();
  for (const job of instance.jobs) {
    if (!job.aws) continue;
    const signer = await createTargetSigner({
      signing: signingOptions(job.aws),
      defaultService: 'execute-api',
      env: context.env,
      registry: context.credentials,
      clock: context.clock,
      onNoRegion: (error) => {
        log.error(
          { job: job.file.job_name },
          `${job.path}: ${error.message}; targets whose host names no region are signed for us-east-1`,
        );
        return 'us-east-1';
      },
    });
    signers.set(job.path, signer);
  }
  return {
    start: () => MetricsPipeline.start(config, context, log, destinations, signers),
  };
}

export class MetricsPipeline implements Pipeline {
  readonly kind = 'metrics';
  private truncateTimer: NodeJS.Timeout | undefined;
  private stopMetadata: (() => void)[] = [];
  private truncations = 0;
  private truncationsFailed = 0;
  private observeTruncation: (seconds: number) => void = () => {};
  /** How long reading the WAL back at start took (prometheus_agent_data_replay_duration_seconds). */
  replaySeconds = 0;
  /** WAL segments deleted by wal_cleanup_age before every destination had sent them. */
  segmentsDroppedUnsent = 0;

  private constructor(
    readonly name: string,
    readonly storage: Storage,
    private readonly wal: WalWriter,
    private readonly progress: WalProgress,
    readonly deliveries: readonly SampleDelivery[],
    readonly queues: readonly QueueView[],
    readonly scrapes: ScrapeManager,
    private readonly config: MetricsPipelineConfig,
    private readonly log: Logger,
  ) {}

  static async start(
    config: MetricsPipelineConfig,
    context: PipelineContext,
    log: Logger,
    destinations: readonly PreparedDestination[],
    signers: ReadonlyMap<string, TargetSigner>,
  ): Promise<MetricsPipeline> {
    const { instance } = config;
    const dir = join(config.walDirectory, instance.name);
    const onLog: LogCallback = (level, message) => log[level](message);
    const { segmentBytes, truncateEveryMs } = context.tuning;
    const wal = await WalWriter.open({ dir, onLog, ...(segmentBytes ? { segmentBytes } : {}) });
    const table = new SeriesTable();
    const replayBegan = performance.now();
    let restored = 0;
    for await (const entry of readWal(dir, undefined, { kinds: METRICS_RECORDS, onLog })) {
      const series = recordOf(entry.record, SERIES_RECORD);
      if (!series) continue;
      for (const s of series) table.restore(s.id, s.labels);
      restored += series.length;
    }
    const replaySeconds = (performance.now() - replayBegan) / 1000;
    if (restored > 0)
      log.info(
        { series: table.nextId - 1 },
        'restored series from the WAL; unsent samples will be replayed',
      );
    const storage = new Storage(
      table,
      wal,
      {
        walError: (e) =>
          log.error(
            { code: e.code, hint: e.hint },
            `cannot write the WAL: ${e.message}; samples are still sent from memory but a crash now would lose them`,
          ),
        walRecovered: () => log.info('the WAL is writable again'),
      },
      // Idle for longer than any job's two intervals: a live series is never forgotten.
      Math.max(DEFAULT_FORGET_AFTER_MS, ...instance.jobs.map((j) => 2 * j.intervalMs)),
    );
    const progress = WalProgress.open(dir);
    const deliveries: SampleDelivery[] = [];
    const queues: QueueView[] = [];
    const queuesBuilt: { queue: RemoteWriteQueue<WalPosition>; d: PreparedDestination }[] = [];
    const observers = metricsObservers(context.registry);
    for (const d of destinations) {
      const observeSend = observers.sentBatchDuration(d.name, d.url);
      const queue = d.build({
        table,
        onProgress: (pos) => progress.set(d.name, pos),
        onAttempt: observeSend,
      });
      const delivery = new SampleDelivery({
        name: d.name,
        queue,
        walDir: dir,
        wal,
        kinds: METRICS_RECORDS,
        log: onLog,
      });
      storage.addConsumer(delivery);
      delivery.start(progress.get(d.name));
      deliveries.push(delivery);
      queues.push({ name: d.name, url: d.url, config: queue.config, stats: () => queue.stats });
      queuesBuilt.push({ queue, d });
    }
    const scrapes = new ScrapeManager({
      instance,
      appender: storage,
      userAgent: context.userAgent,
      log: onLog,
      observers: {
        interval: (intervalMs) => observers.scrapeInterval(intervalMs),
        sync: (job) => observers.scrapeSync(job),
      },
      awsClientFor: (job, target, dispatcher) => signers.get(job.path)?.(target.url, dispatcher),
    });
    const running = new MetricsPipeline(
      instance.name,
      storage,
      wal,
      progress,
      deliveries,
      queues,
      scrapes,
      config,
      log,
    );
    running.replaySeconds = replaySeconds;
    running.observeTruncation = observers.truncateDuration;
    scrapes.start();
    running.stopMetadata = queuesBuilt.map(({ queue, d }) =>
      sendMetadataPeriodically(queue, () => scrapes.metadata(), d.metadata),
    );
    // A test's tuning wins over the file, so a test can truncate fast whatever it loads.
    running.truncateTimer = setInterval(
      () => running.truncateCounted(),
      truncateEveryMs ?? config.walCleanupPeriodMs,
    );
    running.truncateTimer.unref();
    return running;
  }

  status(): PipelineStatus {
    return {
      kind: this.kind,
      name: this.name,
      activeSeries: this.storage.seriesCount,
      targets: this.scrapes.targets().length,
      remoteWrites: this.queues.map((q) => {
        const stats = q.stats();
        return {
          name: q.name,
          url: q.url,
          blocked: stats.blocked ?? null,
          samplesSent: stats.samplesSent,
          samplesFailed: stats.samplesFailed,
          samplesPending: stats.samplesPending,
        };
      }),
    };
  }

  get walView(): WalView {
    return {
      segmentCurrent: this.wal.head.segment,
      sizeBytes: this.wal.diskBytes(),
      corruptions: this.wal.repairedTail ? 1 : 0,
      truncations: this.truncations,
      truncationsFailed: this.truncationsFailed,
    };
  }

  /**
   * truncate(), counted for prometheus_tsdb_wal_truncations_total and
   * _failed_total when it had segments to delete (Prometheus truncates only
   * then too).
   */
  private truncateCounted(): void {
    const walErrors = this.storage.walErrors;
    const deleteFailures = this.wal.deleteFailures;
    const began = performance.now();
    let deleted: number;
    try {
      deleted = this.truncate();
    } catch (error) {
      this.observeTruncation((performance.now() - began) / 1000);
      this.truncations++;
      this.truncationsFailed++;
      this.log.error(`WAL truncation failed: ${String(error)}; trying again later`);
      return;
    }
    const failedDeletes = this.wal.deleteFailures - deleteFailures;
    if (deleted + failedDeletes === 0) return;
    this.observeTruncation((performance.now() - began) / 1000);
    this.truncations++;
    if (failedDeletes > 0 || this.storage.walErrors > walErrors) this.truncationsFailed++;
  }

  /**
   * Deletes segments every endpoint has sent, and — however long a blocked
   * destination has held them — those older than wal_cleanup_age or beyond
   * wal_max_size. Returns how many it deleted.
   */
  truncate(): number {
    const names = this.deliveries.map((d) => d.name);
    const positions = names.map((n) => this.progress.get(n));
    let upTo: WalPosition | undefined;
    if (positions.length > 0 && positions.every((p) => p !== undefined)) {
      upTo = positions.reduce((a, b) => (comparePositions(a, b) <= 0 ? a : b));
    }
    const old = this.wal.segmentsOlderThan(this.config.walCleanupAgeMs);
    if (this.config.walMaxBytes > 0)
      old.push(...this.wal.segmentsOverSize(this.config.walMaxBytes));
    const forced = old.length > 0 ? Math.max(...old) + 1 : 0;
    const segment = Math.max(upTo?.segment ?? 0, forced);
    if (segment === 0) return 0;
    const forgotten = this.storage.forgetIdle(segment);
    if (forgotten > 0)
      this.log.info(
        { series: forgotten },
        'forgot series that got no samples for a while and have none left to send',
      );
    this.storage.checkpointSeries(segment);
    const deleted = this.wal.truncateBefore({ segment, offset: 0 });
    const unsent = deleted.filter((s) => s >= (upTo?.segment ?? 0));
    this.segmentsDroppedUnsent += unsent.length;
    if (forced > (upTo?.segment ?? 0) && unsent.length > 0)
      this.log.warn(
        { segments: unsent },
        'deleted WAL segments older than wal_cleanup_age or beyond wal_max_size that not every remote_write had sent: their unsent samples are lost',
      );
    return deleted.length;
  }

  async stop(drainMs: number, restarting = false): Promise<void> {
    if (this.truncateTimer) clearInterval(this.truncateTimer);
    for (const stop of this.stopMetadata) stop();
    await this.scrapes.stop(!restarting);
    await Promise.all(this.deliveries.map((d) => d.close(drainMs)));
    try {
      this.progress.flush();
    } catch (error) {
      if (!(error instanceof WalWriteError)) throw error;
      // A full disk must not keep the WAL from being closed (fsynced): an
      // unsaved position only means resending from the last saved one.
      this.log.warn(
        `${error.message}; after a restart the endpoints resend from the last saved position`,
      );
    }
    await this.wal.close();
  }
}
