/**
 * `drop`: drops an entry when every condition it names holds (AND; write
 * several drop stages for OR), in Promtail's order: `longer_than` (bytes of
 * the line), `older_than` (timestamp before now minus the duration), then
 * `source` — present in the extracted map, or, with `expression` or `value`,
 * the sources' values joined by `separator` matching it (`value` exactly).
 * Without `source`, `expression` is searched in the line. Each drop counts in
 * `logentry_dropped_lines_total{reason=<drop_counter_reason>}`.
 */
import { Buffer } from 'node:buffer';
import { msToNs } from '../../../model/log-entry.js';
import type { Re2Regex } from '../../relabel/re2/index.js';
import {
  StageConfigError,
  type CompiledStage,
  type StageEntry,
  type StageFactory,
} from '../types.js';
import { droppedLinesCounter } from './drop-counter.js';
import {
  ConfigReader,
  compileRe2,
  parseByteSize,
  parseGoDuration,
  promtailString,
  stringList,
} from './values.js';

const KEYS = [
  'source',
  'separator',
  'expression',
  'value',
  'older_than',
  'longer_than',
  'drop_counter_reason',
];

interface DropRules {
  readonly sources: readonly string[] | undefined;
  readonly separator: string;
  /** From `expression`, or `^QuoteMeta(value)$` as Promtail turns `value` into one. */
  readonly regex: Re2Regex | undefined;
  readonly olderThanNs: bigint | undefined;
  readonly longerThanBytes: number | undefined;
}

function escapeRe2(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

function readRules(config: unknown, path: string): { rules: DropRules; reason: string } {
  const cfg = ConfigReader.of(config, path, 'drop', KEYS);
  if (
    !cfg.has('source') &&
    !cfg.has('expression') &&
    !cfg.has('older_than') &&
    !cfg.has('longer_than')
  )
    throw new StageConfigError(
      path,
      'drop stage config must contain at least one of `source`, `expression`, `older_than` or `longer_than`',
      'say what to drop, e.g. "drop: {expression: \'.*debug.*\'}"',
    );
  const rawSource = cfg.raw('source');
  const sources =
    rawSource === undefined || rawSource === null
      ? undefined
      : typeof rawSource === 'string'
        ? [rawSource]
        : Array.isArray(rawSource)
          ? stringList(rawSource, cfg.at('source'))
          : undefined;
  if (rawSource !== undefined && rawSource !== null && sources === undefined)
    throw new StageConfigError(
      cfg.at('source'),
      'drop stage source invalid type should be string or list of strings',
      'write source: level, or source: [level, msg]',
    );
  const value = cfg.weakString('value');
  const expression = cfg.string('expression');
  if (value !== undefined && sources === undefined)
    throw new StageConfigError(
      cfg.at('value'),
      'drop stage config must contain `source` if `value` is specified',
      'name the extracted value(s) to compare with source:',
    );
  if (value !== undefined && expression !== undefined)
    throw new StageConfigError(
      cfg.at('value'),
      '`value` and `expression` cannot both be defined at the same time',
      'use value for an exact match or expression for a regex, not both',
    );
  let regex: Re2Regex | undefined;
  if (expression !== undefined) regex = compileRe2(expression, cfg.at('expression'));
  if (value !== undefined) regex = compileRe2(`^${escapeRe2(value)}$`, cfg.at('value'));

  let olderThanNs: bigint | undefined;
  const olderThan = cfg.weakString('older_than');
  if (olderThan !== undefined) {
    const ns = parseGoDuration(olderThan);
    if (ns === undefined)
      throw new StageConfigError(
        cfg.at('older_than'),
        `drop stage invalid duration, ${olderThan} cannot be converted to a duration`,
        'write a Go duration such as 24h, 90m or 1h30m',
      );
    olderThanNs = BigInt(Math.trunc(ns));
  }
  let longerThanBytes: number | undefined;
  const longerThan = cfg.weakString('longer_than');
  if (longerThan !== undefined) {
    longerThanBytes = parseByteSize(longerThan.toUpperCase());
    if (longerThanBytes === undefined)
      throw new StageConfigError(
        cfg.at('longer_than'),
        `drop stage failed to parse longer_than to bytes: ${longerThan}`,
        'write a number of bytes (8192) or one with a unit (8kb, 1MB)',
      );
  }
  const reason = cfg.weakString('drop_counter_reason');
  return {
    rules: {
      sources,
      separator: cfg.weakString('separator') ?? ';',
      regex,
      olderThanNs,
      longerThanBytes,
    },
    reason: reason === undefined || reason === '' ? 'drop_stage' : reason,
  };
}

/** Whether every condition holds for `entry`, checked cheapest first as Promtail does. */
function shouldDrop(rules: DropRules, entry: StageEntry, nowMs: () => number): boolean {
  if (rules.longerThanBytes !== undefined) {
    // Bytes, as Go's len(line); skip the count when even 3 bytes a code unit cannot exceed it.
    if (entry.line.length * 3 <= rules.longerThanBytes) return false;
    if (Buffer.byteLength(entry.line, 'utf8') <= rules.longerThanBytes) return false;
  }
  if (rules.olderThanNs !== undefined) {
    if (entry.timestampNs >= msToNs(nowMs()) - rules.olderThanNs) return false;
  }
  const { sources, regex } = rules;
  if (sources !== undefined && regex === undefined) {
    for (const source of sources) if (!Object.hasOwn(entry.extracted, source)) return false;
  }
  if (sources === undefined && regex !== undefined) {
    if (!regex.test(entry.line)) return false;
  }
  if (sources !== undefined && regex !== undefined) {
    const found: string[] = [];
    for (const source of sources) {
      if (!Object.hasOwn(entry.extracted, source)) continue;
      const text = promtailString(entry.extracted[source]);
      if (text === undefined) return false;
      found.push(text);
    }
    if (!regex.test(found.join(rules.separator))) return false;
  }
  return true;
}

export const dropStage: StageFactory = (config, context): CompiledStage => {
  const { rules, reason } = readRules(config, context.path);
  return {
    name: 'drop',
    create: (run) => {
      const dropped = droppedLinesCounter(run.registry).labels(reason);
      const discard = { kind: 'dropped', reason } as const;
      return {
        process(entry, out) {
          if (!shouldDrop(rules, entry, run.now)) {
            out.output(entry);
            return;
          }
          dropped.inc();
          out.discard(entry, discard);
        },
      };
    },
  };
};
