/**
 * Scrapes one target every interval, at its own offset. The scrape cache maps
 * each series' raw text to its series, so labels are parsed, relabeled and
 * numbered once; a steady-state sample costs a Map lookup and a float parse.
 * Series that vanish, and every series of a target that fails or goes away,
 * get Prometheus's staleness marker.
 */
import { METRIC_NAME, normalizeLabels, type Labels } from '../../model/labels.js';
import type { MetricMetadata } from '../../model/metadata.js';
import { markStale } from '../../model/series.js';
import { relabel, type RelabelRule } from '../../process/relabel/index.js';
import { SignetError } from '../../errors.js';
import { BatchBuilder, type SampleAppender } from './appender.js';
import { ScrapeCache } from './cache.js';
import { BodyBuffer, BodySizeLimitError, fetchTarget, type FetchOptions } from './fetch-target.js';
import {
  detach,
  ExpositionError,
  formatFromContentType,
  parseExpositionBytesAsync,
  parseSeriesLabels,
} from './parse/index.js';
import { attachTargetLabels, checkLabelLimits, type LabelLimits } from './series-labels.js';
import { scrapeOffsetMs, type Target } from './targets.js';

export interface LoopOptions {
  readonly target: Target;
  readonly appender: SampleAppender;
  readonly fetch: Omit<FetchOptions, 'url' | 'timeoutMs'>;
  readonly honorLabels: boolean;
  readonly honorTimestamps: boolean;
  readonly sampleLimit: number;
  readonly limits: LabelLimits;
  readonly metricRelabel: readonly RelabelRule[];
  readonly now?: () => number;
  /** Told when a scrape changes the target's health (not for the first `up`). */
  readonly onHealthChange?: (status: TargetStatus, before: TargetHealth) => void;
  readonly observer?: LoopObserver | undefined;
}

/** What a loop tells the scrape metrics, at most a few calls per scrape. */
export interface LoopObserver {
  /** Seconds from the previous scrape's start to this one's (prometheus_target_interval_length_seconds). */
  interval(seconds: number): void;
  /** A scrape was refused whole for exceeding sample_limit or body_size_limit. */
  exceeded(limit: 'sample' | 'body_size'): void;
}

export type TargetHealth = 'unknown' | 'up' | 'down';

export interface TargetStatus {
  readonly health: TargetHealth;
  readonly lastError: string;
  readonly lastScrape: number | undefined;
  readonly lastScrapeDurationMs: number;
  readonly samples: number;
}

const REPORT_NAMES = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
] as const;

class LimitError extends SignetError {
  constructor(
    message: string,
    readonly limit: 'sample' | 'label',
  ) {
    super(message);
  }
}

/**
 * The most metric families whose metadata one target's scrape keeps (with
 * HELP texts cut to MAX_HELP_CHARS, at most ~40 MB); real exporters have
 * hundreds. A page of a million HELP lines would otherwise keep them all.
 */
export const MAX_METADATA_FAMILIES = 10_000;

export class ScrapeLoop {
  private readonly cache = new ScrapeCache();
  private readonly builder = new BatchBuilder();
  private readonly body = new BodyBuffer();
  private readonly report: number[];
  /** Metadata of the last successful scrape, by family name. */
  private families = new Map<string, MetricMetadata>();
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  /** When the next scrape is due, on the target's fixed grid (ms since the epoch). */
  private dueAt = 0;
  private lastStartedAt: number | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly now: () => number;
  private state: TargetStatus = {
    health: 'unknown',
    lastError: '',
    lastScrape: undefined,
    lastScrapeDurationMs: 0,
    samples: 0,
  };

  constructor(private readonly o: LoopOptions) {
    this.now = o.now ?? Date.now;
    this.report = REPORT_NAMES.map((name) =>
      o.appender.series(normalizeLabels([...o.target.labels, { name: METRIC_NAME, value: name }])),
    );
  }

  get target(): Target {
    return this.o.target;
  }

  status(): TargetStatus {
    return this.state;
  }

  /** What the target's last successful scrape said in its `# TYPE`, `# HELP` and `# UNIT` lines. */
  metadata(): Iterable<MetricMetadata> {
    return this.families.values();
  }

  start(): void {
    const now = this.now();
    this.dueAt = now + scrapeOffsetMs(this.o.target, now);
    this.timer = setTimeout(() => this.tick(), this.dueAt - now);
  }

  /**
   * Stops scraping and marks every series of the target stale; not when the
   * same target goes on under a reloaded configuration (as Prometheus does).
   */
  async stop(markStaleOnStop = true): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (!markStaleOnStop) return;
    const ts = this.now();
    const ids = this.cache.ids;
    this.cache.forEach((slot) => {
      if (ids[slot] !== 0) this.builder.pushStale(ids[slot]!, ts, markStale);
    });
    for (const id of this.report) this.builder.pushStale(id, ts, markStale);
    this.cache.clear();
    if (this.builder.count > 0) this.o.appender.append(this.builder.take());
  }

  private tick(): void {
    if (this.stopped) return;
    // One scrape of a target at a time, as Prometheus's loop: a scrape still
    // parsing a huge page (it yields to the event loop) makes the next tick a
    // missed one, rather than a second scrape overwriting the body it reads.
    if (this.running === undefined) {
      const started = this.now();
      if (this.lastStartedAt !== undefined)
        this.o.observer?.interval((started - this.lastStartedAt) / 1000);
      this.lastStartedAt = started;
      this.running = this.scrapeOnce(started).finally(() => {
        this.running = undefined;
      });
    }
    // Like Prometheus's ticker, the next scrape keeps to the fixed grid: a
    // timer that fired late (a busy event loop) must not push every later
    // scrape back too, or a busy agent scrapes less often than configured.
    // Ticks already missed entirely are skipped, not run back to back.
    const now = this.now();
    this.dueAt = nextScrapeAt(this.dueAt, this.o.target.intervalMs, now);
    this.timer = setTimeout(() => this.tick(), this.dueAt - now);
  }

  /** One scrape, start to append; public so tests can drive it without timers. */
  async scrapeOnce(startMs: number = this.now()): Promise<void> {
    const gen = ++this.generation;
    let scraped = 0;
    let kept = 0;
    let added = 0;
    let error = '';
    try {
      const page = await fetchTarget({
        ...this.o.fetch,
        url: this.o.target.url,
        timeoutMs: this.o.target.timeoutMs,
        buffer: this.body,
      });
      const families = new Map<string, { -readonly [K in keyof MetricMetadata]: string }>();
      await parseExpositionBytesAsync(page.body, formatFromContentType(page.contentType), {
        metadata: (family, kind, text) => {
          let entry = families.get(family);
          if (!entry) {
            if (families.size >= MAX_METADATA_FAMILIES) return;
            families.set(family, (entry = { family, type: 'unknown', help: '', unit: '' }));
          }
          entry[kind] = text;
        },
        sample: (text, value, ts) => {
          const position = scraped++;
          const cache = this.cache;
          let slot = cache.slotAt(position, text);
          if (slot < 0) {
            const created = this.newSeries(text);
            // The text is a view into the whole body; a detached copy lets the body go.
            slot = cache.add(detach(text), created, gen);
            cache.remember(position, slot);
            if (created !== 0) added++;
          }
          cache.seen[slot] = gen;
          const id = cache.ids[slot]!;
          if (id === 0) return;
          kept++;
          if (this.o.sampleLimit > 0 && kept > this.o.sampleLimit)
            throw new LimitError(`sample limit exceeded (limit: ${this.o.sampleLimit})`, 'sample');
          const t = this.o.honorTimestamps && ts !== undefined ? ts : startMs;
          this.builder.push(id, t, value);
        },
      });
      this.families = families;
    } catch (e) {
      error = describe(e);
      if (e instanceof LimitError && e.limit === 'sample') this.o.observer?.exceeded('sample');
      else if (e instanceof BodySizeLimitError) this.o.observer?.exceeded('body_size');
    }
    if (error) {
      // Prometheus discards a failed scrape whole and marks what it saw last time stale.
      this.builder.count = 0;
      const { ids, born } = this.cache;
      this.cache.forEach((slot) => {
        if (ids[slot] !== 0 && born[slot] !== gen)
          this.builder.pushStale(ids[slot]!, startMs, markStale);
      });
      this.cache.clear();
      kept = 0;
      added = 0;
    } else {
      const seen = this.cache.seen;
      this.cache.sweep(
        (slot) => seen[slot] === gen,
        (id) => {
          if (id !== 0) this.builder.pushStale(id, startMs, markStale);
        },
      );
    }
    const durationMs = this.now() - startMs;
    const values = [error ? 0 : 1, durationMs / 1000, scraped, kept, added];
    this.report.forEach((id, i) => this.builder.push(id, startMs, values[i]!));
    this.o.appender.append(this.builder.take());
    const before = this.state.health;
    this.state = {
      health: error ? 'down' : 'up',
      lastError: error,
      lastScrape: startMs,
      lastScrapeDurationMs: durationMs,
      samples: kept,
    };
    if (this.state.health !== before && !(before === 'unknown' && !error))
      this.o.onHealthChange?.(this.state, before);
  }

  /** The id of a series text seen for the first time; 0 when metric relabeling drops it. */
  private newSeries(text: string): number {
    const scraped = parseSeriesLabels(text);
    const limitError = checkLabelLimits(scraped, this.o.limits);
    if (limitError) throw new LimitError(limitError, 'label');
    const labels: Labels | undefined = relabel(
      attachTargetLabels(scraped, this.o.target.labels, this.o.honorLabels),
      this.o.metricRelabel,
    );
    return labels && labels.length > 0 ? this.o.appender.series(labels) : 0;
  }
}

/** The grid point after `dueAt` that is still ahead of `now`. */
export function nextScrapeAt(dueAt: number, intervalMs: number, now: number): number {
  const next = dueAt + intervalMs;
  return next > now ? next : next + Math.ceil((now - next + 1) / intervalMs) * intervalMs;
}

function describe(e: unknown): string {
  if (e instanceof ExpositionError) return `${e.message}`;
  if (e instanceof SignetError) return e.message;
  return e instanceof Error ? e.message : String(e);
}
