/**
 * What every logs destination (Loki; CloudWatch Logs, S3, Firehose and
 * Kinesis next) offers the logs pipeline: a bounded queue of chunks of
 * entries, each with a token saying where the chunk came from, and progress
 * reported as the newest token such that it and every chunk before it are
 * finished (sent, or dropped for good and counted). With the logs WAL the
 * token is the chunk's WAL position (the queue is then a DeliveryQueue, and
 * the WAL is truncated behind progress); without it, the pipeline's own
 * sequence, and a file's position moves once every client has passed it.
 */
import type { LogEntry } from '../../model/log-entry.js';

export interface LogClient<Token> {
  /** For messages and metrics: the client's `name`, or one derived from its URL. */
  readonly name: string;
  /** Takes the chunk, or answers false when full (the caller waits for room or reads its WAL). */
  enqueue(entries: readonly LogEntry[], token: Token): boolean;
  /** Resolves once enqueue may succeed again (or the client is closing). */
  waitForRoom(): Promise<unknown>;
  /** Stops taking chunks, sends what it holds for up to drainMs; resolves with the entries it could not send. */
  close(options: { drainMs: number }): Promise<{ unsent: number }>;
}

export interface LogClientProgress<Token> {
  /** Orders tokens, so progress never moves back (ProgressTracker's compare). */
  readonly compare: (a: Token, b: Token) => number;
  /** The newest token behind which every chunk is finished. */
  readonly onProgress: (token: Token) => void;
}
