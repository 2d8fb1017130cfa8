/**
 * Promtail's `timestamp` stage: sets the entry's time from an extracted
 * value, read with `format` (then each of `fallback_formats`) in `location`.
 * When it cannot, `action_on_failure: fudge` (the default) gives the entry
 * the last good timestamp of its label set plus one nanosecond, keeping the
 * stream's order; `skip` leaves the time the entry was read.
 */
import {
  StageConfigError,
  type CompiledStage,
  type StageCompileContext,
  type StageEntry,
} from '../types.js';
import { optionalString, readBlock, requiredString } from './config.js';
import { extractedString, labelsKey } from './extracted.js';
import {
  compileTimestampFormat,
  formatHasTimeParts,
  type TimestampParser,
} from './go-time/formats.js';
import { ZoneLocation } from './go-time/zone.js';

const KEYS = ['source', 'format', 'fallback_formats', 'location', 'action_on_failure'] as const;
/** Promtail's bound on the label sets whose last timestamp fudging remembers. */
const FUDGE_MEMORY = 10_000;

/** Promtail's lastKnownTimestamps: an LRU of the last good time per label set. */
export class TimestampFudger {
  private readonly last = new Map<string, bigint>();

  remember(entry: StageEntry): void {
    const key = labelsKey(entry.labels);
    this.last.delete(key);
    this.last.set(key, entry.timestampNs);
    if (this.last.size > FUDGE_MEMORY) this.last.delete(this.last.keys().next().value!);
  }

  /** The last good time of the entry's labels plus 1 ns, remembered in turn; unchanged if none. */
  fudge(entry: StageEntry): void {
    const key = labelsKey(entry.labels);
    const last = this.last.get(key);
    if (last === undefined) return;
    entry.timestampNs = last + 1n;
    this.last.delete(key);
    this.last.set(key, entry.timestampNs);
  }
}

/** `format` then `fallback_formats`, each tried in turn; the first format's failure is the one reported. */
export function chainParsers(parsers: readonly TimestampParser[]): TimestampParser {
  if (parsers.length === 1) return parsers[0]!;
  return (value, nowMs) => {
    let first: bigint | string | undefined;
    for (const parse of parsers) {
      const result = parse(value, nowMs);
      if (typeof result === 'bigint') return result;
      first ??= result;
    }
    return first!;
  };
}

function readLocation(text: string | undefined, path: string): ZoneLocation | undefined {
  if (text === undefined) return undefined;
  try {
    return new ZoneLocation(text);
  } catch (err) {
    throw new StageConfigError(
      `${path}.location`,
      `invalid location specified: unknown time zone ${JSON.stringify(text)}`,
      'use an IANA time zone name such as "America/New_York" or "UTC"',
      err,
    );
  }
}

export function timestampStage(config: unknown, context: StageCompileContext): CompiledStage {
  const path = context.path;
  const block = readBlock(config, path, KEYS);
  const source = requiredString(block, 'source', path, 'the extracted value holding the time');
  const format = requiredString(
    block,
    'format',
    path,
    'a Go layout or ANSIC, RFC3339, Unix, UnixMs, …',
  );
  const location = readLocation(optionalString(block, 'location', path), path);
  const fallbacks = block['fallback_formats'];
  const formats = [format];
  if (fallbacks !== undefined && fallbacks !== null) {
    if (!Array.isArray(fallbacks))
      throw new StageConfigError(
        `${path}.fallback_formats`,
        'must be a list of formats',
        'write fallback_formats: ["RFC3339", "UnixMs"]',
      );
    fallbacks.forEach((f: unknown, i) => {
      if (typeof f !== 'string' || f === '')
        throw new StageConfigError(
          `${path}.fallback_formats[${i}]`,
          'must be a format (a non-empty string)',
          'write a Go layout or a named format',
        );
      formats.push(f);
    });
  }
  const action = optionalString(block, 'action_on_failure', path) ?? 'fudge';
  if (action !== 'fudge' && action !== 'skip')
    throw new StageConfigError(
      `${path}.action_on_failure`,
      `invalid action on failure ${JSON.stringify(action)}`,
      'use fudge (last good timestamp + 1ns, the default) or skip (keep the read time)',
    );
  formats.forEach((f, i) => {
    if (!formatHasTimeParts(f))
      throw new StageConfigError(
        i === 0 ? `${path}.format` : `${path}.fallback_formats[${i - 1}]`,
        `${JSON.stringify(f)} has no part of Go's reference time, so it can read no timestamp`,
        "write the layout with Go's reference time (2006-01-02T15:04:05.000Z07:00), not strftime or Java letters, or use RFC3339, Unix, UnixMs, …",
      );
  });
  const parse = chainParsers(formats.map((f) => compileTimestampFormat(f, location)));
  return {
    name: 'timestamp',
    create(run) {
      const fudger = action === 'fudge' ? new TimestampFudger() : undefined;
      return {
        process(entry, out) {
          const text = Object.hasOwn(entry.extracted, source)
            ? extractedString(entry.extracted[source])
            : undefined;
          const parsed = text === undefined ? undefined : parse(text, run.now());
          if (typeof parsed === 'bigint') {
            entry.timestampNs = parsed;
            fudger?.remember(entry);
          } else fudger?.fudge(entry);
          out.output(entry);
        },
      };
    },
  };
}
