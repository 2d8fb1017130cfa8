/**
 * The agent's log: pino, in Grafana Agent's two formats (`logfmt` by default,
 * or `json`), on standard error. Log lines never carry secrets: what is logged
 * is built from masked ids and plain-words errors.
 */
import { pino, type Logger } from 'pino';
import { Writable } from 'node:stream';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'logfmt' | 'json';

/**
 * How a building block (the WAL, delivery, the scrape manager) says what
 * happened without knowing the agent's logger; the pipeline that wires it
 * passes its logger's methods.
 */
export type LogCallback = (level: Exclude<LogLevel, 'debug'>, message: string) => void;

function logfmtValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}

/** Turns pino's JSON lines into `ts=… level=… msg=… key=value`. */
function logfmtStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        try {
          const { time, level, msg, ...rest } = JSON.parse(line) as Record<string, unknown>;
          const fields = [
            `ts=${new Date(Number(time)).toISOString()}`,
            `level=${String(level)}`,
            `msg=${logfmtValue(msg ?? '')}`,
          ];
          for (const [k, v] of Object.entries(rest)) fields.push(`${k}=${logfmtValue(v)}`);
          out.write(`${fields.join(' ')}\n`);
        } catch {
          out.write(`${line}\n`);
        }
      }
      done();
    },
  });
}

export function createLogger(
  level: LogLevel,
  format: LogFormat,
  out: NodeJS.WritableStream = process.stderr,
): Logger {
  const options = {
    level,
    base: undefined,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return pino(options, format === 'json' ? (out as Writable) : logfmtStream(out));
}
