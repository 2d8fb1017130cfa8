/**
 * One metrics instance (`metrics.configs[]`): its WAL under
 * `wal_directory/<name>`, its series, its remote_write deliveries and its
 * scrape jobs, plus the periodic WAL truncation.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CorrectedClock } from '../aws/clock.js';
import type { CredentialRegistry } from '../aws/credentials/registry.js';
import { createTargetSigner, type TargetSigner } from '../aws/destination/index.js';
import {
  comparePositions,
  readWal,
  WalProgress,
  WalWriteError,
  WalWriter,
  type WalPosition,
} from '../buffer/wal/index.js';
import type { MetricsInstance } from '../config/agent/types.js';
import { signingOptions } from '../config/aws-auth.js';
import { SeriesTable } from '../model/series.js';
import { ScrapeManager } from '../sources/scrape/manager.js';
import { Delivery } from './delivery.js';
import type { QueueView } from './metrics.js';
import { sendMetadataPeriodically, type MetadataConfig } from './metadata.js';
import { buildQueue } from './remote-writes.js';
import { DEFAULT_FORGET_AFTER_MS, Storage } from './storage.js';

export interface InstanceDeps {
  readonly walDirectory: string;
  readonly walCleanupAgeMs: number;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly credentials: CredentialRegistry;
  readonly clock: CorrectedClock;
  readonly userAgent: string;
  readonly log: Logger;
  readonly env: NodeJS.ProcessEnv;
  /** WAL segment size; tests make it small. */
  readonly segmentBytes?: number | undefined;
  readonly truncateEveryMs?: number | undefined;
}

export class RunningInstance {
  private truncateTimer: NodeJS.Timeout | undefined;
  private stopMetadata: (() => void)[] = [];
  highestTimestampMs = 0;

  private constructor(
    readonly name: string,
    readonly storage: Storage,
    private readonly wal: WalWriter,
    private readonly progress: WalProgress,
    readonly deliveries: readonly Delivery[],
    readonly queues: readonly QueueView[],
    readonly scrapes: ScrapeManager,
    private readonly deps: InstanceDeps,
  ) {}

  static async start(instance: MetricsInstance, deps: InstanceDeps): Promise<RunningInstance> {
    const log = deps.log.child({ instance: instance.name });
    const dir = join(deps.walDirectory, instance.name);
    const onLog = (level: 'info' | 'warn' | 'error', message: string): void => log[level](message);
    const wal = await WalWriter.open({
      dir,
      onLog,
      ...(deps.segmentBytes ? { segmentBytes: deps.segmentBytes } : {}),
    });
    const table = new SeriesTable();
    let restored = 0;
    for await (const entry of readWal(dir, undefined, { onLog })) {
      if (entry.record.kind !== 'series') continue;
      for (const s of entry.record.series) table.restore(s.id, s.labels);
      restored += entry.record.series.length;
    }
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
    const deliveries: Delivery[] = [];
    const queues: QueueView[] = [];
    const metadataQueues: {
      queue: Awaited<ReturnType<typeof buildQueue>>;
      config: MetadataConfig;
    }[] = [];
    for (const rw of instance.remoteWrite) {
      const queue = await buildQueue(rw, {
        table,
        externalLabels: deps.externalLabels,
        credentials: deps.credentials,
        clock: deps.clock,
        userAgent: deps.userAgent,
        env: deps.env,
        log: (level, message, fields) => log[level]({ remote_name: rw.name, ...fields }, message),
        onProgress: (name, pos) => progress.set(name, pos),
      });
      const delivery = new Delivery({ name: rw.name, queue, walDir: dir, wal, log: onLog });
      storage.addConsumer(delivery);
      delivery.start(progress.get(rw.name));
      deliveries.push(delivery);
      queues.push({ name: rw.name, url: rw.file.url, stats: () => queue.stats });
      const meta = rw.file.metadata_config;
      metadataQueues.push({
        queue,
        config: {
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
        env: deps.env,
        registry: deps.credentials,
        clock: deps.clock,
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
    const scrapes = new ScrapeManager({
      instance,
      appender: storage,
      userAgent: deps.userAgent,
      log: (level, message) => log[level](message),
      awsClientFor: (job, target) => signers.get(job.path)?.(target.url),
    });
    const running = new RunningInstance(
      instance.name,
      storage,
      wal,
      progress,
      deliveries,
      queues,
      scrapes,
      deps,
    );
    scrapes.start();
    running.stopMetadata = metadataQueues.map(({ queue, config }) =>
      sendMetadataPeriodically(queue, () => scrapes.metadata(), config),
    );
    running.truncateTimer = setInterval(() => running.truncate(), deps.truncateEveryMs ?? 60_000);
    running.truncateTimer.unref();
    return running;
  }

  /** Deletes segments every endpoint has sent, and those older than wal_cleanup_age. */
  truncate(): void {
    const names = this.deliveries.map((d) => d.name);
    const positions = names.map((n) => this.progress.get(n));
    let upTo: WalPosition | undefined;
    if (positions.length > 0 && positions.every((p) => p !== undefined)) {
      upTo = positions.reduce((a, b) => (comparePositions(a, b) <= 0 ? a : b));
    }
    const old = this.wal.segmentsOlderThan(this.deps.walCleanupAgeMs);
    const forced = old.length > 0 ? Math.max(...old) + 1 : 0;
    const segment = Math.max(upTo?.segment ?? 0, forced);
    if (segment === 0) return;
    const forgotten = this.storage.forgetIdle(segment);
    if (forgotten > 0)
      this.deps.log.info(
        { instance: this.name, series: forgotten },
        'forgot series that got no samples for a while and have none left to send',
      );
    this.storage.checkpointSeries(segment);
    const deleted = this.wal.truncateBefore({ segment, offset: 0 });
    if (forced > (upTo?.segment ?? 0) && deleted.length > 0)
      this.deps.log.warn(
        { instance: this.name, segments: deleted },
        'deleted WAL segments older than wal_cleanup_age that not every remote_write had sent: their unsent samples are lost',
      );
  }

  /** `restarting`: the instance comes back under a reloaded configuration; no staleness markers. */
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
      this.deps.log.warn(
        { instance: this.name },
        `${error.message}; after a restart the endpoints resend from the last saved position`,
      );
    }
    await this.wal.close();
  }
}
