/**
 * The file target manager's public shapes: what it is given (targets, the
 * tailing settings), what it hands on (batches of lines) and what it reports
 * (files, dropped targets). Kept apart so manager.ts holds only behaviour.
 */
import type { LogCallback } from '../../log.js';
import type { LogLabels } from '../../model/log-entry.js';
import type { Positions } from './positions.js';
import type { OriginToken } from './settle.js';
import type { ReadLine, TailerFactory, TailerOptions } from './tailer-contract.js';

export const PATH_LABEL = '__path__';
export const PATH_EXCLUDE_LABEL = '__path_exclude__';
export const HOST_LABEL = '__host__';
export const FILENAME_LABEL = 'filename';

/** How every file is read: file_watch_config and limits_config, the same for all targets. */
export type TailingDefaults = Pick<
  TailerOptions,
  'maxLineSize' | 'truncateLongLines' | 'pollMinMs' | 'pollMaxMs' | 'partialLineFlushMs'
>;

export interface FileTarget {
  /** After relabeling: `__path__`, maybe `__path_exclude__` and `__host__`, and the stream's labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** The scrape config (job) the target belongs to; passed back with its lines so the right stages run. */
  readonly job: string;
  /** The scrape config's `encoding`. */
  readonly encoding?: string | undefined;
  /** The scrape config's `decompression`, when enabled. */
  readonly decompression?: TailerOptions['decompression'];
}

/** Lines of one file read in one go; line i settles with token `firstToken + i`. */
export interface TailBatch {
  readonly path: string;
  readonly job: string;
  /** The stream's labels: the target's without `__*`, plus `filename`. Shared; do not change. */
  readonly labels: Readonly<LogLabels>;
  readonly lines: readonly ReadLine[];
  readonly firstToken: OriginToken;
  /** When the lines were handed over (Promtail stamps lines with the time they are read). */
  readonly readAtMs: number;
}

export interface FileTargetManagerOptions {
  readonly positions: Positions;
  readonly createTailer: TailerFactory;
  readonly tailing: TailingDefaults;
  /** target_config.sync_period: how often the globs are expanded again. */
  readonly syncPeriodMs: number;
  /** Awaited before the tailer reads on. */
  readonly onLines: (batch: TailBatch) => Promise<void>;
  readonly onEvent?: ((path: string, event: unknown) => void) | undefined;
  readonly onRead?: ((path: string, bytes: number, lines: number) => void) | undefined;
  readonly log: LogCallback;
  /** Targets whose `__host__` is another host are dropped, as Promtail does; default: not checked. */
  readonly hostname?: string | undefined;
  /** Where relative `__path__` globs start; default process.cwd(). */
  readonly cwd?: string | undefined;
}

/** One tailed file, for the API and the metrics. */
export interface FileStatus {
  readonly path: string;
  readonly job: string;
  readonly labels: Readonly<LogLabels>;
  readonly readOffset: number;
  /** The position that would be saved now. */
  readonly settledOffset: number;
  readonly size: number;
  /** Bytes read and not yet safe (sent, in the WAL or dropped for good). */
  readonly lag: number;
  readonly unsettledLines: number;
  readonly generation: number;
}

export interface DroppedFileTarget {
  readonly labels: Readonly<Record<string, string>>;
  readonly reason: string;
}
