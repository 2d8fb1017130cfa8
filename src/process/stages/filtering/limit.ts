/**
 * `limit`: a token bucket of `rate` entries a second holding up to `burst`
 * (golang.org/x/time/rate, as Promtail uses). With `drop: true` an entry that
 * finds no token is dropped and counted (`logentry_dropped_lines_total
 * {reason="ratelimit_drop_stage"}`); with `by_label_name` each value of that
 * label has its own bucket (entries without the label pass), the drops also
 * counted in `logentry_dropped_lines_by_label_total`.
 *
 * Without `drop`, Promtail's stage blocks its goroutine until a token is
 * there. Signet must not block the event loop, so the stage holds entries
 * instead: an entry that finds no token (or finds others already waiting)
 * joins a queue, and a timer set for the moment the next token is due
 * releases queued entries in order, as many as there are tokens. Entries
 * leave at `rate` a second and keep their order; `flush` (the runner's stop)
 * releases whatever still waits, so none is lost.
 */
import {
  StageConfigError,
  type CompiledStage,
  type Stage,
  type StageEntry,
  type StageFactory,
  type StageOutput,
} from '../types.js';
import { droppedLinesByLabelCounter, droppedLinesCounter } from './drop-counter.js';
import { ConfigReader } from './values.js';

const RATELIMIT_DROP_REASON = 'ratelimit_drop_stage';
/** Promtail raises a smaller max_distinct_labels to this (~1 MiB of limiters). */
export const MIN_REASONABLE_MAX_DISTINCT_LABELS = 10000;

/** A token bucket on a millisecond clock, as golang.org/x/time/rate's Limiter, starting full. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(
        this.burst,
        this.tokens + ((now - this.last) / 1000) * this.ratePerSecond,
      );
      this.last = now;
    }
  }

  /** Takes a token if there is one. */
  allow(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is there (0 when one is). */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
  }
}

/**
 * Loki's generational map: up to `maxSize` keys in the current generation;
 * when it fills, it becomes the old one (its keys still found, and moved back
 * when used) and the one before is forgotten.
 */
class GenerationalMap<V> {
  private current = new Map<string, V>();
  private old = new Map<string, V>();

  constructor(
    private readonly maxSize: number,
    private readonly create: () => V,
    private readonly onNewGeneration: () => void,
  ) {}

  getOrCreate(key: string): V {
    let value = this.current.get(key);
    if (value !== undefined) return value;
    value = this.old.get(key) ?? this.create();
    this.current.set(key, value);
    if (this.current.size >= this.maxSize) {
      this.old = this.current;
      this.current = new Map();
      this.onNewGeneration();
    }
    return value;
  }
}

interface LimitConfig {
  readonly rate: number;
  readonly burst: number;
  readonly drop: boolean;
  readonly byLabelName: string;
  /** Undefined when not given: Promtail's default of 10000. */
  readonly maxDistinctLabels: number | undefined;
}

function readConfig(config: unknown, path: string): LimitConfig {
  const cfg = ConfigReader.of(config, path, 'limit', [
    'rate',
    'burst',
    'drop',
    'by_label_name',
    'max_distinct_labels',
  ]);
  const rate = cfg.number('rate') ?? 0;
  const burst = cfg.integer('burst') ?? 0;
  if (rate <= 0)
    throw new StageConfigError(
      cfg.at('rate'),
      'limit stage needs a rate above 0',
      'write the entries per second to let through, e.g. rate: 10',
    );
  if (burst <= 0)
    throw new StageConfigError(
      cfg.at('burst'),
      'limit stage needs a burst of at least 1',
      'write how many entries may pass at once, e.g. burst: 10',
    );
  const drop = cfg.boolean('drop') ?? false;
  const byLabelName = cfg.string('by_label_name') ?? '';
  if (byLabelName !== '' && !drop)
    throw new StageConfigError(
      cfg.at('drop'),
      'when ratelimiting by label, drop must be true',
      'add drop: true, or remove by_label_name',
    );
  const maxDistinctLabels = cfg.integer('max_distinct_labels');
  if (cfg.has('max_distinct_labels') && byLabelName === '')
    throw new StageConfigError(
      cfg.at('max_distinct_labels'),
      'only applies with by_label_name',
      'add by_label_name, or remove max_distinct_labels',
    );
  return { rate, burst, drop, byLabelName, maxDistinctLabels };
}

/** Holds entries that found no token and lets them out on a timer, in order. */
class WaitingLimit implements Stage {
  private readonly queue: StageEntry[] = [];
  private downstream: StageOutput | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly bucket: TokenBucket,
    private readonly now: () => number,
  ) {}

  process(entry: StageEntry, out: StageOutput): void {
    this.downstream = out;
    if (this.queue.length === 0 && this.bucket.allow(this.now())) {
      out.output(entry);
      return;
    }
    this.queue.push(entry);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.queue.length === 0) return;
    const delay = Math.max(1, this.bucket.waitMs(this.now()));
    this.timer = setTimeout(() => this.release(), delay);
    // Entries waiting here do not keep the process alive; stop() flushes them.
    this.timer.unref();
  }

  private release(): void {
    this.timer = undefined;
    const out = this.downstream;
    let released = 0;
    while (out !== undefined && released < this.queue.length && this.bucket.allow(this.now()))
      released++;
    // Take them off the queue first: output may reenter process() (a nested match).
    for (const entry of this.queue.splice(0, released)) out!.output(entry);
    this.schedule();
  }

  /** Lets everything waiting out now, without waiting for tokens: the runner flushes at stop. */
  flush(out: StageOutput): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const entry of this.queue.splice(0)) out.output(entry);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** How many entries wait for a token. */
  held(): number {
    return this.queue.length;
  }
}

export const limitStage: StageFactory = (config, context): CompiledStage => {
  const cfg = readConfig(config, context.path);
  const discard = { kind: 'limited', reason: RATELIMIT_DROP_REASON } as const;
  return {
    name: 'limit',
    create: (run): Stage => {
      if (!cfg.drop)
        return new WaitingLimit(new TokenBucket(cfg.rate, cfg.burst, run.now()), run.now);
      const dropped = droppedLinesCounter(run.registry).labels(RATELIMIT_DROP_REASON);
      if (cfg.byLabelName === '') {
        const bucket = new TokenBucket(cfg.rate, cfg.burst, run.now());
        return {
          process(entry, out) {
            if (bucket.allow(run.now())) return out.output(entry);
            dropped.inc();
            out.discard(entry, discard);
          },
        };
      }
      const byLabel = droppedLinesByLabelCounter(run.registry);
      const given = cfg.maxDistinctLabels ?? MIN_REASONABLE_MAX_DISTINCT_LABELS;
      const maxDistinct = Math.max(given, MIN_REASONABLE_MAX_DISTINCT_LABELS);
      if (given < MIN_REASONABLE_MAX_DISTINCT_LABELS)
        run.log(
          'warn',
          `${context.path}.max_distinct_labels was adjusted up to the minimal reasonable value of ${MIN_REASONABLE_MAX_DISTINCT_LABELS}`,
        );
      const buckets = new GenerationalMap(
        maxDistinct,
        () => new TokenBucket(cfg.rate, cfg.burst, run.now()),
        // As Promtail: the per-label counter is cleared with each generation, bounding its series.
        () => byLabel.reset(),
      );
      const name = cfg.byLabelName;
      return {
        process(entry, out) {
          const value = entry.labels[name];
          if (value === undefined || buckets.getOrCreate(value).allow(run.now()))
            return out.output(entry);
          dropped.inc();
          byLabel.labels(name, value).inc();
          out.discard(entry, discard);
        },
      };
    },
  };
};
