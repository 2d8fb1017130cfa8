/**
 * Promtail's `multiline` stage: lines are joined (with "\n") into one entry
 * per block; a block starts at a line matching `firstline` and ends at the
 * next such line, after `max_lines` lines, or when no line has come for
 * `max_wait_time`. Until a label set's first block starts, its lines pass
 * straight through. The joined entry is the block's first line's (labels,
 * time, extracted values); the lines joined into it are given back as
 * merged once it has been passed on.
 *
 * One difference from Promtail: a block that starts without a first line
 * (the rest of a block cut by max_lines or max_wait_time) is carried by its
 * own first entry, where Promtail reuses the previous block's start entry
 * and its older time.
 */
import {
  StageConfigError,
  type CompiledStage,
  type StageCompileContext,
  type StageEntry,
  type StageOutput,
} from '../types.js';
import {
  compileRe2,
  optionalInteger,
  optionalString,
  readBlock,
  parseGoDuration,
} from './config.js';
import { labelsKey } from './extracted.js';

const DEFAULT_MAX_LINES = 128;
const DEFAULT_MAX_WAIT_MS = 3000;

interface Block {
  /** The entry that carries the block; undefined while none is open. */
  start: StageEntry | undefined;
  lines: string[];
  merged: StageEntry[];
  /** context.now() at the block's last line. */
  lastAt: number;
}

export function multilineStage(config: unknown, context: StageCompileContext): CompiledStage {
  const path = context.path;
  const block = readBlock(config, path, ['firstline', 'max_wait_time', 'max_lines']);
  const firstline = optionalString(block, 'firstline', path);
  if (firstline === undefined)
    throw new StageConfigError(
      `${path}.firstline`,
      'is required (the multiline stage must define a firstline regular expression)',
      'write firstline: with an RE2 pattern matching the first line of each block, e.g. ^\\d{4}-\\d{2}-\\d{2}',
    );
  const re = compileRe2(firstline, `${path}.firstline`);
  const waitText = optionalString(block, 'max_wait_time', path);
  const maxWaitMs = waitText === undefined ? DEFAULT_MAX_WAIT_MS : parseGoDuration(waitText);
  if (maxWaitMs === undefined || maxWaitMs <= 0)
    throw new StageConfigError(
      `${path}.max_wait_time`,
      `${JSON.stringify(waitText)} is not a positive duration`,
      'write a Go duration such as 3s, 500ms or 1m',
    );
  const maxLines = optionalInteger(block, 'max_lines', path, 1) ?? DEFAULT_MAX_LINES;

  return {
    name: 'multiline',
    create(run) {
      const blocks = new Map<string, Block>();
      let lastOut: StageOutput | undefined;
      let timer: NodeJS.Timeout | undefined;

      const flushBlock = (b: Block, out: StageOutput): void => {
        const start = b.start;
        if (start === undefined) return;
        start.line = b.lines.length === 1 ? b.lines[0]! : b.lines.join('\n');
        const merged = b.merged;
        b.start = undefined;
        b.lines = [];
        b.merged = [];
        out.output(start);
        for (const entry of merged) out.discard(entry, { kind: 'merged' });
      };

      // One timer for the stage: it wakes at the oldest open block's deadline.
      const arm = (): void => {
        if (timer !== undefined) return;
        let oldest = Infinity;
        for (const b of blocks.values())
          if (b.start !== undefined && b.lastAt < oldest) oldest = b.lastAt;
        if (oldest === Infinity) return;
        timer = setTimeout(onTimer, Math.max(1, oldest + maxWaitMs - run.now()));
        timer.unref();
      };
      const onTimer = (): void => {
        timer = undefined;
        const now = run.now();
        if (lastOut !== undefined)
          for (const b of blocks.values())
            if (b.start !== undefined && now - b.lastAt >= maxWaitMs) flushBlock(b, lastOut);
        arm();
      };

      return {
        process(entry, out) {
          lastOut = out;
          const key = labelsKey(entry.labels);
          let b = blocks.get(key);
          const isFirst = re.test(entry.line);
          if (b === undefined) {
            if (!isFirst) {
              out.output(entry);
              return;
            }
            b = { start: undefined, lines: [], merged: [], lastAt: 0 };
            blocks.set(key, b);
          }
          if (isFirst) flushBlock(b, out);
          if (b.start === undefined) b.start = entry;
          else b.merged.push(entry);
          b.lines.push(entry.line);
          b.lastAt = run.now();
          if (b.lines.length >= maxLines) flushBlock(b, out);
          else arm();
        },
        flush(out) {
          for (const b of blocks.values()) flushBlock(b, out);
        },
        stop() {
          if (timer !== undefined) clearTimeout(timer);
          timer = undefined;
        },
      };
    },
  };
}
