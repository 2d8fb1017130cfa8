/**
 * Promtail's `docker` stage: a Docker json-file line
 * (`{"log":"…\n","stream":"stderr","time":"2019-04-30T02:12:41.8443515Z"}`)
 * gives extracted `output`, `stream` and `timestamp`, the `stream` label, the
 * entry's time (RFC3339Nano, fudged when it cannot be read, as Promtail's
 * timestamp stage does) and `log` as the line. A line that is not JSON is
 * passed on as it is.
 */
import type { CompiledStage, StageCompileContext } from '../types.js';
import { readBlock } from './config.js';
import { extractedString } from './extracted.js';
import { compileTimestampFormat } from './go-time/formats.js';
import { goJsonText, parseJsonObject } from './json.js';
import { TimestampFudger } from './timestamp.js';

const parseRfc3339Nano = compileTimestampFormat('RFC3339Nano', undefined);

/** A JSON value as Promtail's json stage puts it into extracted. */
function asExtracted(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return typeof value === 'object' ? goJsonText(value) : value;
}

export function dockerStage(config: unknown, context: StageCompileContext): CompiledStage {
  readBlock(config, context.path, []);
  return {
    name: 'docker',
    create(run) {
      const fudger = new TimestampFudger();
      return {
        process(entry, out) {
          const data = parseJsonObject(entry.line);
          if (data !== undefined) {
            const record = data ?? {};
            entry.extracted['output'] = asExtracted(record['log']);
            entry.extracted['stream'] = asExtracted(record['stream']);
            entry.extracted['timestamp'] = asExtracted(record['time']);
          }
          const stream = extractedString(entry.extracted['stream']);
          if (stream !== undefined) entry.labels['stream'] = stream;
          const time = extractedString(entry.extracted['timestamp']);
          const ts = time === undefined ? undefined : parseRfc3339Nano(time, run.now());
          if (typeof ts === 'bigint') {
            entry.timestampNs = ts;
            fudger.remember(entry);
          } else fudger.fudge(entry);
          const line = extractedString(entry.extracted['output']);
          if (line !== undefined) entry.line = line;
          out.output(entry);
        },
      };
    },
  };
}
