/**
 * One logs pipeline (`logs.configs[]`): its positions file, its file
 * targets (discovered, relabeled, tailed), each scrape config's stages, and
 * its clients — fed from the logs WAL when it has one (`wal_config`, or by
 * default with an AWS client: see logs-load.ts), else from memory with
 * positions moved only once every client has sent a line.
 *
 * prepareLogs() does what can fail on a bad configuration (stages and rules
 * compiled, regions resolved, secrets read) without touching a file, so a
 * reload refuses a broken file before stopping anything.
 */
import type { Logger } from 'pino';
import type { LogsInstance } from '../../config/agent/types.js';
import type { LogCallback } from '../../log.js';
import { msToNs } from '../../model/log-entry.js';
import { compileRelabelConfigs, type RelabelRule } from '../../process/relabel/index.js';
import { compileStages, type CompiledStages } from '../../process/stages/index.js';
import type { LogClient, LogClientProgress } from '../../sinks/shared/log-client.js';
import type { SinkLog } from '../../sinks/shared/index.js';
import { FileTailer } from '../../sources/tail/file-tailer.js';
import {
  FileTargetManager,
  PATH_EXCLUDE_LABEL,
  PATH_LABEL,
  type FileStatus,
  type FileTarget,
} from '../../sources/tail/manager.js';
import { Positions } from '../../sources/tail/positions.js';
import type { TailEvent } from '../../sources/tail/types.js';
import type { Pipeline, PipelineContext, PipelineStatus, PreparedPipeline } from '../pipeline.js';
import { prepareLogsClient, type PreparedLogsClient } from './clients.js';
import { DirectFanout, type EntrySink } from './fanout.js';
import { Ingest } from './ingest.js';
import { logsMetrics, type LogsMetrics } from './self-metrics.js';
import { LogTargetDiscovery, type DroppedLogTarget } from './targets.js';
import { WalFanout } from './wal-fanout.js';

export interface LogsPipelineConfig {
  readonly instance: LogsInstance;
}

interface PreparedJob {
  readonly name: string;
  readonly path: string;
  readonly file: LogsInstance['jobs'][number]['file'];
  readonly stages: CompiledStages;
  readonly rules: readonly RelabelRule[];
}

/** How often sent segments of the logs WAL are deleted, unless a test says otherwise. */
const WAL_TRUNCATE_EVERY_MS = 60_000;

export async function prepareLogs(
  config: LogsPipelineConfig,
  context: PipelineContext,
): Promise<PreparedPipeline> {
  const { instance } = config;
  const log = context.log.child({ pipeline: `logs/${instance.name}` });
  const jobs: PreparedJob[] = instance.jobs.map((job) => ({
    name: job.file.job_name,
    path: job.path,
    file: job.file,
    stages: compileStages(job.file.pipeline_stages, `${job.path}.pipeline_stages`),
    rules: compileRelabelConfigs(job.file.relabel_configs, `${job.path}.relabel_configs`),
  }));
  const clients = await Promise.all(
    instance.clients.map((c, index) =>
      prepareLogsClient(c, context, { positionsFile: instance.positionsFile, index }),
    ),
  );
  return { start: () => LogsPipeline.start(instance, context, log, jobs, clients) };
}

function sinkLogOf(log: Logger): SinkLog {
  return (level, message, fields) => log[level](fields, message);
}

export class LogsPipeline implements Pipeline {
  readonly kind = 'logs';
  private truncateTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly name: string,
    private readonly log: Logger,
    private readonly manager: FileTargetManager,
    private readonly discoveries: readonly LogTargetDiscovery[],
    private readonly ingest: Ingest,
    private readonly sink: EntrySink,
    private readonly wal: WalFanout | undefined,
    private readonly clients: readonly PreparedLogsClient[],
  ) {}

  static async start(
    instance: LogsInstance,
    context: PipelineContext,
    log: Logger,
    jobs: readonly PreparedJob[],
    prepared: readonly PreparedLogsClient[],
  ): Promise<LogsPipeline> {
    const onLog: LogCallback = (level, message) => log[level](message);
    const metrics = logsMetrics(context.registry);
    const positions = await Positions.load({
      file: instance.positionsFile,
      syncPeriodMs: instance.positionsSyncMs,
      ignoreInvalidYaml: instance.ignoreInvalidPositions,
      log: onLog,
    });
    // The manager hands out the tokens the sink settles; it is made below.
    const made: { manager?: FileTargetManager } = {};
    const settle = (origin: unknown): void => made.manager?.settle(origin as number);
    const sinkLog = sinkLogOf(log);
    let sink: EntrySink;
    let wal: WalFanout | undefined;
    if (instance.walDirectory !== undefined) {
      wal = await WalFanout.open({
        dir: instance.walDirectory,
        segmentBytes: context.tuning.segmentBytes,
        log: onLog,
        settle,
        onTooLarge: () =>
          metrics.droppedLines.inc({ pipeline: instance.name, reason: 'entry_too_large' }),
      });
      for (const c of prepared)
        wal.attach(c.name, c.build(wal.progressFor(c.name), context.registry, sinkLog));
      sink = wal;
    } else {
      const direct = new DirectFanout(prepared.length, settle);
      const clients: LogClient<number>[] = prepared.map((c, i) => {
        const progress: LogClientProgress<number> = {
          compare: (a, b) => a - b,
          onProgress: direct.progressOf(i),
        };
        return c.build(progress, context.registry, sinkLog);
      });
      direct.attach(clients);
      sink = direct;
    }
    const ingest = new Ingest({
      stages: new Map(jobs.map((j) => [j.name, j.stages])),
      runContext: { registry: context.registry, log: onLog, now: Date.now },
      sink,
      settle,
      limits: {
        maxStreams: instance.limits.max_streams,
        readlineRate: instance.limits.readline_rate_enabled
          ? instance.limits.readline_rate
          : undefined,
        readlineBurst: instance.limits.readline_burst,
        readlineRateDrop: instance.limits.readline_rate_drop,
      },
      counters: {
        dropped: (reason) => metrics.droppedLines.inc({ pipeline: instance.name, reason }),
      },
    });
    const manager = new FileTargetManager({
      positions,
      createTailer: (options) => new FileTailer(options),
      tailing: {
        maxLineSize: instance.limits.max_line_size,
        truncateLongLines: instance.limits.max_line_size_truncate,
        pollMinMs: instance.pollMinMs,
        pollMaxMs: instance.pollMaxMs,
      },
      syncPeriodMs: instance.targetSyncMs,
      onLines: (batch) =>
        ingest.push(
          batch.lines.map((line, i) => ({
            labels: batch.labels,
            line: line.line,
            key: batch.path,
            job: batch.job,
            origin: batch.firstToken + i,
          })),
          msToNs(batch.readAtMs),
        ),
      onEvent: (path, event) => tailEvent(path, event as TailEvent, metrics, instance.name, log),
      onRead: (path, bytes, lines) => {
        metrics.readBytes.inc({ path }, bytes);
        metrics.readLines.inc({ path }, lines);
      },
      log: onLog,
    });
    made.manager = manager;
    const discoveries = jobs.map(
      (job) =>
        new LogTargetDiscovery({
          job: job.file,
          path: job.path,
          rules: job.rules,
          log: onLog,
          onTargets: () => void manager.update(fileTargets()),
        }),
    );
    const fileTargets = (): FileTarget[] =>
      discoveries.flatMap((d, i) => {
        const file = jobs[i]!.file;
        const decompression = file.decompression?.enabled
          ? {
              format: file.decompression.format as 'gz' | 'z',
              initialDelayMs: file.decompression.initial_delay,
            }
          : undefined;
        return d.targets.map((t) => ({
          labels: {
            ...t.labels,
            [PATH_LABEL]: t.path,
            ...(t.pathExclude !== undefined ? { [PATH_EXCLUDE_LABEL]: t.pathExclude } : {}),
          },
          job: jobs[i]!.name,
          encoding: file.encoding,
          decompression,
        }));
      });
    const running = new LogsPipeline(
      instance.name,
      log,
      manager,
      discoveries,
      ingest,
      sink,
      wal,
      prepared,
    );
    await manager.start([]);
    for (const d of discoveries) d.start();
    await manager.update(fileTargets());
    if (wal !== undefined) {
      running.truncateTimer = setInterval(
        () => running.truncate(),
        context.tuning.truncateEveryMs ?? WAL_TRUNCATE_EVERY_MS,
      );
      running.truncateTimer.unref();
    }
    return running;
  }

  private truncate(): void {
    try {
      this.wal?.truncate();
    } catch (error) {
      this.log.error(`logs WAL truncation failed: ${String(error)}; trying again later`);
    }
  }

  files(): FileStatus[] {
    return this.manager.status();
  }

  targetCount(): number {
    return this.discoveries.reduce((n, d) => n + d.targets.length, 0);
  }

  droppedTargets(): DroppedLogTarget[] {
    return this.discoveries.flatMap((d) => [...d.dropped]);
  }

  walBytes(): number | undefined {
    return this.wal?.wal.diskBytes();
  }

  status(): PipelineStatus {
    return {
      kind: this.kind,
      name: this.name,
      targets: this.targetCount(),
      files: this.files().length,
      wal: this.wal !== undefined,
      clients: this.clients.map((c) => ({ name: c.name, url: c.url })),
    };
  }

  async stop(drainMs: number): Promise<void> {
    if (this.truncateTimer) clearInterval(this.truncateTimer);
    await Promise.all(this.discoveries.map((d) => d.stop()));
    // A tailer stops once the chunk it is handing over is taken; a full client must not hold that.
    this.sink.stopWaiting();
    await this.manager.stopReading();
    await this.ingest.stop();
    const unsent = await this.sink.close(drainMs);
    if (unsent > 0)
      this.log.warn(
        { entries: unsent },
        this.wal
          ? 'entries not sent before stopping stay in the logs WAL and are sent after a restart'
          : 'entries not sent before stopping are read from their files again after a restart',
      );
    await this.manager.stop();
  }
}

function tailEvent(
  path: string,
  event: TailEvent,
  metrics: LogsMetrics,
  pipeline: string,
  log: Logger,
): void {
  switch (event.kind) {
    case 'lineTruncated':
      metrics.truncatedLines.inc({ path });
      return;
    case 'lineDropped':
      metrics.droppedLines.inc({ pipeline, reason: 'line_too_long' });
      log.warn(
        { path, bytes: event.bytes, limit: event.limit },
        'dropped a line longer than limits_config.max_line_size (set max_line_size_truncate to cut it instead)',
      );
      return;
    case 'decodeError':
      metrics.encodingFailures.inc({ path });
      return;
    case 'rotated':
      log.info({ path }, 'file rotated; the old file was read to its end');
      return;
    case 'truncated':
      log.info({ path, size: event.size }, 'file truncated; reading it again from the start');
      return;
    case 'positionReset':
      log.info(
        { path, position: event.position, size: event.size },
        'the saved position does not fit the file found (truncated or replaced): reading it from the start',
      );
      return;
    case 'rotatedCopyNotFound':
      log.warn(
        { path, read: event.readOffset, size: event.previousSize },
        'the file was truncated before it was read to its end, and no rotated copy with its first bytes was found: its unread lines are lost',
      );
      return;
    case 'readError':
    case 'consumerError':
      log.error({ path }, `reading failed: ${event.error.message}`);
      return;
    default:
      return;
  }
}
