/**
 * From lines read to entries sent: each file's lines run through its scrape
 * config's stages (one runner per file, so multiline blocks never mix
 * files), come out with their internal labels removed and their label set
 * interned (a file's entries share one object, which the WAL writes once per
 * record), are held to `max_streams` and the read-line rate, and are written
 * to the sink in order. Every line is settled exactly once: when its entry
 * is safe, or at once when a stage, a limit or the rate drops it.
 */
import { nowNs, TENANT_LABEL, type LogEntry, type LogLabels } from '../../model/log-entry.js';
import {
  StageRunner,
  stageEntry,
  type CompiledStages,
  type DiscardReason,
  type StageEntry,
  type StageRunContext,
} from '../../process/stages/index.js';
import type { EntrySink } from './fanout.js';

/** A line as a source hands it over. */
export interface IngestLine {
  /** The target's labels (no `__` names) with `filename`. */
  readonly labels: LogLabels;
  readonly line: string;
  /** One runner per key (the file's path). */
  readonly key: string;
  /** The scrape config that found the file: its stages run. */
  readonly job: string;
  /** The source's token for this line, settled once it is safe or dropped. */
  readonly origin: unknown;
}

export interface IngestLimits {
  /** 0: no limit. */
  readonly maxStreams: number;
  /** Lines per second over all files, when enabled. */
  readonly readlineRate: number | undefined;
  readonly readlineBurst: number;
  /** Over the rate: drop (true) or wait (false). */
  readonly readlineRateDrop: boolean;
}

export interface IngestCounters {
  dropped(reason: string, entry: { line: string; labels: LogLabels }): void;
}

function labelsKey(labels: LogLabels): string {
  let key = '';
  for (const name in labels) key += `${name}\u0000${labels[name]}\u0001`;
  return key;
}

/** Labels Loki never sees: the internal ones, except the tenant the client reads. */
function publicLabels(labels: LogLabels): LogLabels {
  let internal = false;
  for (const name in labels)
    if (name.startsWith('__') && name !== TENANT_LABEL) {
      internal = true;
      break;
    }
  if (!internal) return labels;
  const out: LogLabels = {};
  for (const name in labels)
    if (!name.startsWith('__') || name === TENANT_LABEL) out[name] = labels[name]!;
  return out;
}

/** Past this many entries held back by stages, the tailers wait. */
const MAX_HELD_ENTRIES = 10_000;

function hasAny(pairs: LogLabels): boolean {
  for (const name in pairs) if (name !== undefined) return true;
  return false;
}

export class Ingest {
  private readonly runners = new Map<string, StageRunner>();
  private readonly streams = new Map<string, LogLabels>();
  private entries: LogEntry[] = [];
  private origins: unknown[] = [];
  private writing: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly o: {
      /** Each scrape config's stages, by job name. */
      readonly stages: ReadonlyMap<string, CompiledStages>;
      readonly runContext: StageRunContext;
      readonly sink: EntrySink;
      readonly settle: (origin: unknown) => void;
      readonly limits: IngestLimits;
      readonly counters: IngestCounters;
    },
  ) {
    this.tokens = o.limits.readlineBurst;
    this.refilledAt = o.runContext.now();
  }

  private runnerFor(key: string, job: string): StageRunner {
    let runner = this.runners.get(key);
    if (runner === undefined) {
      runner = new StageRunner(this.o.stages.get(job) ?? { stages: [] }, this.o.runContext, {
        output: (entry) => this.accept(entry),
        discard: (entry, reason) => this.discard(entry, reason),
      });
      this.runners.set(key, runner);
    }
    return runner;
  }

  // Stages count their own drops (logentry_dropped_lines_total); only the position moves here.
  private discard(entry: StageEntry, _reason: DiscardReason): void {
    this.o.settle(entry.origin);
    this.scheduleFlush();
  }

  /** The stream's one label object, or undefined when max_streams refuses a new stream. */
  private stream(given: LogLabels): LogLabels | undefined {
    const labels = publicLabels(given);
    const key = labelsKey(labels);
    const known = this.streams.get(key);
    if (known !== undefined) return known;
    if (this.o.limits.maxStreams > 0 && this.streams.size >= this.o.limits.maxStreams)
      return undefined;
    this.streams.set(key, labels);
    return labels;
  }

  private accept(entry: StageEntry): void {
    const labels = this.stream(entry.labels);
    if (labels === undefined) {
      this.o.counters.dropped('stream_limited', entry);
      this.o.settle(entry.origin);
      return;
    }
    const meta = entry.structuredMetadata;
    this.entries.push({
      labels,
      line: entry.line,
      timestampNs: entry.timestampNs,
      structuredMetadata: hasAny(meta) ? meta : undefined,
    });
    this.origins.push(entry.origin);
    this.scheduleFlush();
  }

  /**
   * A line of a job without stages: no stage entry, and its file's labels
   * (one object per file) looked up by identity instead of by value.
   */
  private acceptPlain(line: IngestLine, readAt: bigint): void {
    let labels = this.plainStreams.get(line.labels);
    if (labels === undefined) {
      labels = this.stream(line.labels);
      if (labels === undefined) {
        this.o.counters.dropped('stream_limited', line);
        this.o.settle(line.origin);
        return;
      }
      this.plainStreams.set(line.labels, labels);
    }
    this.entries.push({ labels, line: line.line, timestampNs: readAt });
    this.origins.push(line.origin);
  }

  private readonly plainStreams = new WeakMap<LogLabels, LogLabels>();

  /** Entries coming from a stage's own timer (multiline) are written soon after. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush().catch(() => {});
    });
  }

  /** Whether the read-line rate lets one more line through; refills the bucket. */
  private take(): boolean {
    const rate = this.o.limits.readlineRate;
    if (rate === undefined) return true;
    const now = this.o.runContext.now();
    this.tokens = Math.min(
      this.o.limits.readlineBurst,
      this.tokens + ((now - this.refilledAt) / 1000) * rate,
    );
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Runs a batch of lines through their stages and writes what comes out; resolves when it was taken. */
  async push(lines: readonly IngestLine[], readAt: bigint = nowNs()): Promise<void> {
    for (const line of lines) {
      if (!this.take()) {
        if (this.o.limits.readlineRateDrop) {
          this.o.counters.dropped('readline_rate_limited', line);
          this.o.settle(line.origin);
          continue;
        }
        // Waiting here holds the tailers back: the lines stay in their files.
        const waitMs = Math.ceil(1000 / this.o.limits.readlineRate!);
        while (!this.take()) await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
      if (this.o.stages.get(line.job)?.stages.length) {
        this.runnerFor(line.key, line.job).push(
          stageEntry(line.labels, line.line, readAt, line.origin),
        );
      } else this.acceptPlain(line, readAt);
    }
    await this.flush();
    // A waiting `limit` holds entries on its own timer: read no more until it lets them go.
    while (this.held() > MAX_HELD_ENTRIES) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** Entries the stages of every file hold back. */
  held(): number {
    let held = 0;
    for (const runner of this.runners.values()) held += runner.held();
    return held;
  }

  /** Writes what the stages passed on, in order. */
  flush(): Promise<void> {
    if (this.entries.length === 0 && this.origins.length === 0) return this.writing;
    const entries = this.entries;
    const origins = this.origins;
    this.entries = [];
    this.origins = [];
    this.writing = this.writing.then(() => this.o.sink.write(entries, origins));
    return this.writing;
  }

  /** A file is gone: its runner passes on what it holds and stops. */
  release(key: string): void {
    const runner = this.runners.get(key);
    if (runner === undefined) return;
    this.runners.delete(key);
    runner.stop();
  }

  /** Stops every runner (multiline blocks are passed on) and writes the rest. */
  async stop(): Promise<void> {
    for (const runner of this.runners.values()) runner.stop();
    this.runners.clear();
    await this.flush();
  }
}
