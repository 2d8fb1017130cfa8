/**
 * What the local Kinesis Data Streams keeps: streams, their shards and every
 * accepted record, JSON-serializable so `--data-dir` can persist it. Streams
 * are keyed by ARN because the same name may exist in several accounts or
 * regions. Records are never trimmed: a local run is short, and read-back
 * of everything is the point.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ServiceStore } from '../../service.js';
import { loadSavedState } from '../../store.js';

export const STORE_NAME = 'kinesis';

/** Kinesis's default maximum record size (data + partition key), 1 MiB. */
export const DEFAULT_MAX_RECORD_KIB = 1024;

const recordSchema = z.object({
  seq: z.string(),
  key: z.string(),
  /** Base64, so the state stays plain JSON. */
  data: z.string(),
  /** ApproximateArrivalTimestamp, ms since the epoch (the request's clock). */
  at: z.number(),
});

const shardSchema = z.object({
  id: z.string(),
  /** The hash key range as decimal strings: 128-bit values do not fit a JSON number. */
  start: z.string(),
  end: z.string(),
  records: z.array(recordSchema),
});

const streamSchema = z.object({
  name: z.string(),
  arn: z.string(),
  account: z.string(),
  region: z.string(),
  mode: z.string(),
  maxRecordKiB: z.number(),
  created: z.number(),
  /** The next sequence number to hand out; one counter per stream keeps them increasing. */
  nextSeq: z.number(),
  shards: z.array(shardSchema),
});

const stateSchema = z.object({
  version: z.literal(1),
  streams: z.record(z.string(), streamSchema),
});

export type StoredRecord = z.infer<typeof recordSchema>;
export type StoredShard = z.infer<typeof shardSchema>;
export type StoredStream = z.infer<typeof streamSchema>;
export type KinesisState = z.infer<typeof stateSchema>;

export function streamArn(region: string, account: string, name: string): string {
  return `arn:aws:kinesis:${region}:${account}:stream/${name}`;
}

/** Splits `arn:aws:kinesis:<region>:<account>:stream/<name>`; undefined for anything else. */
export function parseStreamArn(
  arn: string,
): { region: string; account: string; name: string } | undefined {
  const match = /^arn:aws[a-z-]*:kinesis:([^:]+):(\d{12}):stream\/([^/]+)$/.exec(arn);
  if (match === null) return undefined;
  const [, region, account, name] = match;
  if (region === undefined || account === undefined || name === undefined) return undefined;
  return { region, account, name };
}

/** Loads saved state (see loadSavedState). */
export function loadState(store: ServiceStore): KinesisState {
  return loadSavedState(store, STORE_NAME, stateSchema, () => ({ version: 1, streams: {} }));
}

export const MAX_HASH_KEY = (1n << 128n) - 1n;

/** A new stream whose shards split the 128-bit hash key space evenly, as CreateStream does. */
export function newStream(
  region: string,
  account: string,
  name: string,
  shardCount: number,
  mode: string,
  maxRecordKiB: number,
  now: number,
): StoredStream {
  const width = (MAX_HASH_KEY + 1n) / BigInt(shardCount);
  const shards = Array.from({ length: shardCount }, (_, i) => {
    const start = width * BigInt(i);
    const end = i === shardCount - 1 ? MAX_HASH_KEY : start + width - 1n;
    return {
      id: `shardId-${String(i).padStart(12, '0')}`,
      start: start.toString(),
      end: end.toString(),
      records: [],
    };
  });
  return {
    name,
    arn: streamArn(region, account, name),
    account,
    region,
    mode,
    maxRecordKiB,
    created: now,
    nextSeq: 1,
    shards,
  };
}

/** The hash key Kinesis derives from a partition key: its MD5 as a 128-bit integer. */
export function hashKeyOf(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

export function shardFor(stream: StoredStream, hashKey: bigint): StoredShard {
  const shard = stream.shards.find((s) => BigInt(s.start) <= hashKey && hashKey <= BigInt(s.end));
  // The shards cover the whole key space, so a key in range always has one.
  if (shard === undefined) throw new Error(`no shard of ${stream.name} covers ${hashKey}`);
  return shard;
}

/**
 * Sequence numbers: decimal strings of one fixed length (56 digits, like
 * AWS's), so they increase both as numbers and as strings.
 */
export function nextSequenceNumber(stream: StoredStream): string {
  const seq = `49${String(stream.nextSeq).padStart(54, '0')}`;
  stream.nextSeq += 1;
  return seq;
}
