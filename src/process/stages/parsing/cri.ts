/**
 * Promtail's `cri` stage: a CRI log line (`<time> <stdout|stderr> <flags>
 * <content>`) gives extracted `time`, `stream`, `flags` and `content`, the
 * `stream` label, the entry's time (RFC3339Nano, fudged as Promtail's
 * timestamp stage does when it cannot be read) and `content` as the line.
 *
 * Partial lines (flags `P`, which the runtime writes for lines over 16 KiB)
 * are held per label set and joined to the next line of the same stream;
 * the joined entry keeps the last part's time. As in Promtail,
 * `max_partial_lines` bounds the number of label sets held at once — at the
 * bound, every held line is passed on as it is — and
 * `max_partial_line_size_truncate` cuts each held line to
 * `max_partial_line_size` bytes.
 */
import {
  StageConfigError,
  type CompiledStage,
  type StageCompileContext,
  type StageEntry,
  type StageOutput,
} from '../types.js';
import { describe, optionalBoolean, optionalInteger, readBlock } from './config.js';
import { labelsKey } from './extracted.js';
import { compileTimestampFormat } from './go-time/formats.js';
import { TimestampFudger } from './timestamp.js';

const KEYS = ['max_partial_lines', 'max_partial_line_size', 'max_partial_line_size_truncate'];
const DEFAULT_MAX_PARTIAL_LINES = 100;
const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
};

const parseRfc3339Nano = compileTimestampFormat('RFC3339Nano', undefined);

function isSpaceAt(line: string, at: number): boolean {
  const c = line.charCodeAt(at);
  // RE2's \s: tab, newline, form feed, carriage return, space.
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

/** Index of the first RE2 \s at or after `from`, or -1. */
function spaceFrom(line: string, from: number): number {
  for (let i = from; i < line.length; i++) if (isSpaceAt(line, i)) return i;
  return -1;
}

/** The CRI fields, as Promtail's `^(?s)(?P<time>\S+?) (?P<stream>stdout|stderr) (?P<flags>\S+?) (?P<content>.*)$` finds them. */
export function parseCriLine(
  line: string,
): [time: string, stream: string, flags: string, content: string] | undefined {
  const afterTime = spaceFrom(line, 0);
  if (afterTime <= 0 || line[afterTime] !== ' ') return undefined;
  const streamStart = afterTime + 1;
  let stream: string;
  if (line.startsWith('stdout ', streamStart)) stream = 'stdout';
  else if (line.startsWith('stderr ', streamStart)) stream = 'stderr';
  else return undefined;
  const flagsStart = streamStart + 7;
  const afterFlags = spaceFrom(line, flagsStart);
  if (afterFlags <= flagsStart || line[afterFlags] !== ' ') return undefined;
  return [
    line.slice(0, afterTime),
    stream,
    line.slice(flagsStart, afterFlags),
    line.slice(afterFlags + 1),
  ];
}

/** Bytes, from a number or a size such as "256KB" (units of 1024, as Promtail's ByteSize). */
function readSize(value: unknown, at: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  const m = typeof value === 'string' ? /^(\d+)\s*([KMG]?B?)$/i.exec(value.trim()) : null;
  const unit = m ? SIZE_UNITS[m[2]!.toUpperCase().replace(/^([KMG])$/, '$1B')] : undefined;
  if (!m || unit === undefined)
    throw new StageConfigError(
      at,
      `must be a size in bytes, not ${describe(value)}`,
      'write a number of bytes (262144) or a size such as 256KB',
    );
  return Number(m[1]) * unit;
}

interface Held {
  entry: StageEntry;
  /** Earlier parts, already joined into `entry`'s line. */
  readonly parts: StageEntry[];
}

export function criStage(config: unknown, context: StageCompileContext): CompiledStage {
  const path = context.path;
  const block = readBlock(config, path, KEYS);
  const maxPartialLines =
    optionalInteger(block, 'max_partial_lines', path, 0) || DEFAULT_MAX_PARTIAL_LINES;
  const maxSize = readSize(block['max_partial_line_size'], `${path}.max_partial_line_size`) ?? 0;
  const truncate = optionalBoolean(block, 'max_partial_line_size_truncate', path) ?? false;
  if (truncate && maxSize === 0)
    throw new StageConfigError(
      `${path}.max_partial_line_size`,
      'is 0, so max_partial_line_size_truncate would cut every partial line to nothing',
      'set max_partial_line_size (e.g. 262144) or leave max_partial_line_size_truncate out',
    );
  const cut = (entry: StageEntry): void => {
    if (truncate && entry.line.length > maxSize / 4 && Buffer.byteLength(entry.line) > maxSize)
      entry.line = Buffer.from(entry.line).subarray(0, maxSize).toString();
  };

  return {
    name: 'cri',
    create(run) {
      const fudger = new TimestampFudger();
      const held = new Map<string, Held>();
      const release = (h: Held, out: StageOutput): void => {
        out.output(h.entry);
        for (const part of h.parts) out.discard(part, { kind: 'merged' });
      };
      return {
        process(entry, out) {
          const fields = parseCriLine(entry.line);
          if (fields !== undefined) {
            const [time, stream, flags, content] = fields;
            entry.extracted['time'] = time;
            entry.extracted['stream'] = stream;
            entry.extracted['flags'] = flags;
            entry.extracted['content'] = content;
            entry.labels['stream'] = stream;
            const ts = parseRfc3339Nano(time, run.now());
            if (typeof ts === 'bigint') {
              entry.timestampNs = ts;
              fudger.remember(entry);
            } else fudger.fudge(entry);
            entry.line = content;
          } else fudger.fudge(entry);

          if (entry.extracted['flags'] === 'P') {
            const key = labelsKey(entry.labels);
            let prev = held.get(key);
            if (held.size >= maxPartialLines) {
              // Promtail's bound counts label sets, and passes on all it holds — this stream's too.
              run.log(
                'warn',
                `cri stage: partial lines upperbound exceeded (${maxPartialLines} streams); passing the held lines on as they are`,
              );
              for (const h of held.values()) release(h, out);
              held.clear();
              prev = undefined;
            }
            if (prev !== undefined) {
              entry.line = prev.entry.line + entry.line;
              prev.parts.push(prev.entry);
              prev.entry = entry;
              cut(entry);
            } else {
              cut(entry);
              held.set(key, { entry, parts: [] });
            }
            return;
          }
          if (held.size > 0) {
            const key = labelsKey(entry.labels);
            const prev = held.get(key);
            if (prev !== undefined) {
              held.delete(key);
              entry.line = prev.entry.line + entry.line;
              cut(entry);
              prev.parts.push(prev.entry);
              prev.entry = entry;
              release(prev, out);
              return;
            }
          }
          out.output(entry);
        },
        flush(out) {
          // Partial lines whose end never came are passed on as they are.
          for (const h of held.values()) release(h, out);
          held.clear();
        },
      };
    },
  };
}
