/**
 * Promtail's pipeline stages: the contract every stage and the runner share.
 *
 * An entry flows through the stages in order. Each stage may change its
 * labels, line, timestamp and structured metadata and the `extracted` map
 * (the values parsing stages find, which later stages read by name), hold it
 * (multiline), or drop it. Every entry that goes in comes out exactly once:
 * passed on (`output`) or given back (`discard`, with the reason), so the
 * logs pipeline can settle its place in the file either way — a position is
 * only moved past a line once it is sent, or will never be sent.
 *
 * Stages are compiled once from the configuration (errors name the key path
 * of the field at fault, such as
 * `logs.configs[0].scrape_configs[1].pipeline_stages[2].regex.expression`)
 * and then run for every target of the scrape config.
 */
import type { Registry } from 'prom-client';
import { SignetError } from '../../errors.js';
import type { LogCallback } from '../../log.js';
import type { LogLabels } from '../../model/log-entry.js';

/** One entry as the stages see it: mutable, with Promtail's extracted map. */
export interface StageEntry {
  labels: LogLabels;
  line: string;
  timestampNs: bigint;
  structuredMetadata: LogLabels;
  /** Values parsing stages extracted, by name; Promtail's `extracted` map. */
  extracted: Record<string, unknown>;
  /** The source's own token for this entry (where it was read), carried untouched. */
  readonly origin: unknown;
}

/** Why an entry left the pipeline without being passed on. */
export type DiscardReason =
  /** A `drop` stage or `match` with `action: drop`; the reason is its `drop_counter_reason`. */
  | { readonly kind: 'dropped'; readonly reason: string }
  /** Joined into another entry by `multiline`; that entry carries the lines on. */
  | { readonly kind: 'merged' }
  /** Over a `limit` stage's rate with `drop: true`, or not picked by `sampling`. */
  | { readonly kind: 'limited'; readonly reason: string };

export interface StageOutput {
  output(entry: StageEntry): void;
  discard(entry: StageEntry, reason: DiscardReason): void;
}

/** A compiled stage, ready to run. One instance serves one stream of entries (one target). */
export interface Stage {
  /** Handles one entry: pass it on or give it back through `out`, now or later. */
  process(entry: StageEntry, out: StageOutput): void;
  /**
   * Passes on whatever the stage holds (multiline's open block) — on its own
   * timer, at stop, and when the runner asks.
   */
  flush?(out: StageOutput): void;
  /** Stops timers; after it the stage is not used again. */
  stop?(): void;
  /**
   * Entries the stage holds back (a waiting `limit`, an open multiline
   * block): the source stops reading while the runner holds too many, so a
   * slow stage bounds memory instead of queueing without end.
   */
  held?(): number;
}

/** What compiling a stage may use. */
export interface StageCompileContext {
  /** Key path of the stage's own block: `…pipeline_stages[2].regex`. */
  readonly path: string;
  /** Compiles nested `stages` (match), giving their key path. */
  compileNested(configs: readonly unknown[], path: string): CompiledStages;
}

/** What running stages may use. */
export interface StageRunContext {
  /** The agent's registry, for the `metrics` stage's counters, gauges and histograms. */
  readonly registry: Registry;
  readonly log: LogCallback;
  /** Milliseconds; a test may give a fake clock (limit, multiline's max_wait_time). */
  readonly now: () => number;
}

/** A stage's configuration checked and compiled; `create` makes one running instance. */
export interface CompiledStage {
  readonly name: string;
  create(context: StageRunContext): Stage;
}

export type StageFactory = (config: unknown, context: StageCompileContext) => CompiledStage;

export interface CompiledStages {
  readonly stages: readonly CompiledStage[];
}

/**
 * A stage configuration Promtail would refuse, or one Signet cannot run the
 * same way. `path` is the key path of the offending field; the message
 * starts with it (as RelabelConfigError's does), so the config loader can
 * place it at file:line:column.
 */
export class StageConfigError extends SignetError {
  readonly path: string;

  constructor(path: string, problem: string, hint: string, cause?: unknown) {
    super(`${path}: ${problem}`, { hint, cause });
    this.path = path;
  }
}
