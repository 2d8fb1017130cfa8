/**
 * A log entry as every logs pipeline passes it: from a source (a tailed file,
 * a pod's log), through the stages, into the logs WAL and out to clients
 * (Loki, CloudWatch Logs, S3, Firehose, Kinesis). The shape follows Loki's
 * push API, which Promtail's stages were written for: a stream's labels, a
 * line and a timestamp with nanoseconds, and structured metadata that is not
 * part of the stream's identity.
 */

/** A stream's labels, or structured metadata: plain name → value. */
export type LogLabels = Record<string, string>;

export interface LogEntry {
  /** The stream's labels after relabeling and stages; names starting `__` are never sent. */
  readonly labels: LogLabels;
  readonly line: string;
  /** Nanoseconds since the epoch, as Loki takes them (CRI and Docker timestamps have them). */
  readonly timestampNs: bigint;
  /** Loki 3's structured metadata; empty or undefined when there is none. */
  readonly structuredMetadata?: LogLabels | undefined;
}

/** Loki's reserved label for the tenant of one entry (Promtail's `tenant` stage sets it). */
export const TENANT_LABEL = '__tenant_id__';

/** Milliseconds to nanoseconds. */
export function msToNs(ms: number): bigint {
  return BigInt(Math.trunc(ms)) * 1_000_000n;
}

/** Now, with the clock's millisecond precision. */
export function nowNs(): bigint {
  return msToNs(Date.now());
}
