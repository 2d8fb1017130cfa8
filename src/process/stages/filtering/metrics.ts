/**
 * `metrics`: counters, gauges and histograms from log entries, exposed with
 * the agent's own metrics, named `prefix` (default `promtail_custom_`) plus
 * the metric's key, labelled with the entry's labels. Each reads the
 * extracted value `source` (default: its key); `config.value` makes it count
 * only entries whose value is exactly that; `config.action` says what to do
 * (counter: inc, add; gauge: set, inc, dec, add, sub); a counter with
 * `match_all: true` counts every entry, or with `count_entry_bytes: true`
 * adds its line's bytes. Series idle for `max_idle_duration` (default 5m,
 * at least 1s) are dropped. One metric per name per registry: targets and
 * reloaded configurations that define it again update the same one.
 */
import { Buffer } from 'node:buffer';
import {
  StageConfigError,
  type CompiledStage,
  type StageEntry,
  type StageFactory,
} from '../types.js';
import { LogMetric, type LogMetricType } from './log-metric.js';
import {
  ConfigReader,
  isRecord,
  parseGoDuration,
  promtailFloat,
  promtailString,
} from './values.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Prometheus's DefBuckets, what client_golang gives a histogram without buckets. */
const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const ACTIONS: Readonly<Record<LogMetricType, readonly string[]>> = {
  counter: ['inc', 'add'],
  gauge: ['set', 'inc', 'dec', 'add', 'sub'],
  histogram: [],
};
const CONFIG_KEYS: Readonly<Record<LogMetricType, string[]>> = {
  counter: ['value', 'action', 'match_all', 'count_entry_bytes'],
  gauge: ['value', 'action'],
  histogram: ['value', 'buckets'],
};

interface MetricSpec {
  readonly path: string;
  readonly fullName: string;
  readonly description: string;
  readonly type: LogMetricType;
  readonly source: string;
  readonly maxIdleMs: number;
  readonly value: string | undefined;
  readonly action: string;
  readonly matchAll: boolean;
  readonly countEntryBytes: boolean;
  readonly buckets: readonly number[];
}

function readBuckets(raw: unknown, path: string): number[] {
  if (raw === undefined || raw === null) return DEFAULT_BUCKETS;
  if (!Array.isArray(raw) || raw.some((b) => typeof b !== 'number'))
    throw new StageConfigError(
      path,
      'must be a list of numbers',
      'write e.g. buckets: [0.1, 0.5, 1, 5]',
    );
  const buckets = (raw as number[]).filter((b) => b !== Infinity);
  for (let i = 1; i < buckets.length; i++) {
    if (!(buckets[i]! > buckets[i - 1]!))
      throw new StageConfigError(
        `${path}[${i}]`,
        'histogram buckets must be in increasing order',
        'sort the bucket bounds and remove duplicates',
      );
  }
  return buckets.length > 0 ? buckets : DEFAULT_BUCKETS;
}

function readMetric(name: string, raw: unknown, path: string): MetricSpec {
  const cfg = ConfigReader.of(raw, path, 'metrics', [
    'type',
    'description',
    'source',
    'prefix',
    'max_idle_duration',
    'config',
  ]);
  const type = (cfg.string('type') ?? '').toLowerCase();
  if (type !== 'counter' && type !== 'gauge' && type !== 'histogram')
    throw new StageConfigError(
      cfg.at('type'),
      `invalid metric type '${type}', metric type must be one of 'counter', 'gauge', or 'histogram'`,
      'write type: Counter, Gauge or Histogram',
    );
  const prefix = cfg.string('prefix') || 'promtail_custom_';
  const fullName = prefix + name;
  if (!METRIC_NAME.test(fullName))
    throw new StageConfigError(
      cfg.has('prefix') ? cfg.at('prefix') : path,
      `${JSON.stringify(fullName)} is not a valid metric name`,
      'metric names are letters, digits, underscores and colons, not starting with a digit',
    );
  let maxIdleMs = 5 * 60_000;
  const idle = cfg.string('max_idle_duration');
  if (idle !== undefined) {
    const ns = parseGoDuration(idle);
    if (ns === undefined)
      throw new StageConfigError(
        cfg.at('max_idle_duration'),
        `max_idle_duration could not be parsed as a duration: '${idle}'`,
        'write a Go duration such as 30m or 1h',
      );
    if (ns < 1e9)
      throw new StageConfigError(
        cfg.at('max_idle_duration'),
        'max_idle_duration less than 1s not allowed',
        'write 1s or more',
      );
    // Promtail keeps whole seconds.
    maxIdleMs = Math.trunc(ns / 1e9) * 1000;
  }
  const inner = cfg.raw('config');
  const innerPath = cfg.at('config');
  const c = ConfigReader.of(
    isRecord(inner) ? inner : (inner ?? {}),
    innerPath,
    `metrics ${type}`,
    CONFIG_KEYS[type],
  );
  const value = c.weakString('value');
  let action = '';
  if (type !== 'histogram') {
    action = (c.string('action') ?? '').toLowerCase();
    const allowed = ACTIONS[type];
    if (!allowed.includes(action))
      throw new StageConfigError(
        c.at('action'),
        action === ''
          ? `${type} action must be defined`
          : `action ${action} is not valid for a ${type}`,
        `write action: ${allowed.join(', ')}`,
      );
  }
  const matchAll = type === 'counter' ? (c.boolean('match_all') ?? false) : false;
  const countEntryBytes = type === 'counter' ? (c.boolean('count_entry_bytes') ?? false) : false;
  if (matchAll && value !== undefined)
    throw new StageConfigError(
      c.at('match_all'),
      '`match_all: true` cannot be combined with `value`',
      'remove match_all or value',
    );
  if (countEntryBytes && !matchAll)
    throw new StageConfigError(
      c.at('count_entry_bytes'),
      '`count_entry_bytes: true` can only be set with `match_all: true`',
      'add match_all: true',
    );
  if (countEntryBytes && action !== 'add')
    throw new StageConfigError(
      c.at('count_entry_bytes'),
      '`count_entry_bytes: true` can only be used with `action: add`',
      'write action: add',
    );
  // Promtail accepts this and then never counts anything (no value to add); say so instead.
  if (matchAll && action === 'add' && !countEntryBytes)
    throw new StageConfigError(
      c.at('action'),
      '`match_all: true` with `action: add` has nothing to add',
      'write action: inc to count entries, or add count_entry_bytes: true to count their bytes',
    );
  return {
    path,
    fullName,
    description: cfg.string('description') ?? '',
    type,
    source: cfg.string('source') ?? name,
    maxIdleMs,
    value,
    action,
    matchAll,
    countEntryBytes,
    buckets: type === 'histogram' ? readBuckets(c.raw('buckets'), c.at('buckets')) : [],
  };
}

/** Applies one metric to one entry, as Promtail's recordCounter/Gauge/Histogram do. */
function record(spec: MetricSpec, metric: LogMetric, entry: StageEntry): void {
  const { labels } = entry;
  if (spec.matchAll) {
    if (spec.countEntryBytes) metric.add(labels, Buffer.byteLength(entry.line, 'utf8'));
    else metric.add(labels, 1);
    return;
  }
  if (!Object.hasOwn(entry.extracted, spec.source)) return;
  const v = entry.extracted[spec.source];
  if (spec.value !== undefined && promtailString(v) !== spec.value) return;
  if (spec.action === 'inc') return metric.add(labels, 1);
  if (spec.action === 'dec') return metric.add(labels, -1);
  const f = promtailFloat(v);
  if (f === undefined) return;
  switch (spec.type === 'histogram' ? 'observe' : spec.action) {
    case 'observe':
      return metric.observe(labels, f);
    case 'set':
      return metric.set(labels, f);
    case 'add':
      // A counter only goes up; client_golang would panic on a negative add.
      if (spec.type === 'counter' && !(f >= 0)) return;
      return metric.add(labels, f);
    case 'sub':
      return metric.add(labels, -f);
  }
}

export const metricsStage: StageFactory = (config, context): CompiledStage => {
  if (!isRecord(config) || Object.keys(config).length === 0)
    throw new StageConfigError(
      context.path,
      'empty metric stage configuration',
      'name at least one metric, e.g. "metrics: {log_lines_total: {type: Counter, config: {match_all: true, action: inc}}}"',
    );
  const specs = Object.entries(config).map(([name, raw]) =>
    readMetric(name, raw, `${context.path}.${name}`),
  );
  return {
    name: 'metrics',
    create: (run) => {
      const metrics = specs.map((spec) => {
        try {
          return LogMetric.in(run.registry, [
            spec.fullName,
            spec.description,
            spec.type,
            spec.buckets,
            spec.maxIdleMs,
            run.now,
          ]);
        } catch (err) {
          throw new StageConfigError(
            spec.path,
            (err as Error).message,
            'give the metric another name or prefix',
            err,
          );
        }
      });
      return {
        process(entry, out) {
          for (let i = 0; i < specs.length; i++) record(specs[i]!, metrics[i]!, entry);
          out.output(entry);
        },
      };
    },
  };
};
