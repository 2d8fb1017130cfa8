/**
 * What the local Firehose keeps: its delivery streams and every record it
 * accepted, in a JSON-serializable shape so `--data-dir` can persist it.
 * Streams are keyed by ARN because the same name may exist in several
 * accounts or regions, as on AWS.
 */
import { z } from 'zod';
import type { ServiceStore } from '../../service.js';
import { loadSavedState } from '../../store.js';

export const STORE_NAME = 'firehose';

const recordSchema = z.object({
  id: z.string(),
  /** Base64, so the state stays plain JSON. */
  data: z.string(),
  /** When it arrived, ms since the epoch (the request's clock). */
  at: z.number(),
});

const streamSchema = z.object({
  name: z.string(),
  arn: z.string(),
  account: z.string(),
  region: z.string(),
  type: z.string(),
  created: z.number(),
  records: z.array(recordSchema),
});

const stateSchema = z.object({
  version: z.literal(1),
  streams: z.record(z.string(), streamSchema),
});

export type StoredRecord = z.infer<typeof recordSchema>;
export type StoredStream = z.infer<typeof streamSchema>;
export type FirehoseState = z.infer<typeof stateSchema>;

export function streamArn(region: string, account: string, name: string): string {
  return `arn:aws:firehose:${region}:${account}:deliverystream/${name}`;
}

/** Loads saved state (see loadSavedState). */
export function loadState(store: ServiceStore): FirehoseState {
  return loadSavedState(store, STORE_NAME, stateSchema, () => ({ version: 1, streams: {} }));
}

/** A new, empty stream (ACTIVE at once: the local service has nothing to provision). */
export function newStream(
  region: string,
  account: string,
  name: string,
  type: string,
  now: number,
): StoredStream {
  return {
    name,
    arn: streamArn(region, account, name),
    account,
    region,
    type,
    created: now,
    records: [],
  };
}
