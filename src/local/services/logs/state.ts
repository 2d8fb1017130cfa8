/**
 * What the logs service keeps: log groups per account and region, their
 * streams, and each stream's events in timestamp order. Maps keep user-chosen
 * names (`__proto__` is a valid log group name) away from object prototypes;
 * `snapshot()` turns them into plain JSON for the store, sharing the event
 * arrays rather than copying them so a save stays cheap.
 */
import { z } from 'zod';
import type { Scope } from './scope.js';

export interface StoredEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
  /** Unique within its stream and increasing with ingestion: orders equal timestamps. */
  readonly id: number;
}

export interface LogStream {
  readonly name: string;
  readonly creationTime: number;
  /** Sorted by (timestamp, id). */
  events: StoredEvent[];
  lastIngestionTime: number | undefined;
  /** The id the next event gets; also what the sequence tokens count. */
  nextId: number;
}

export interface LogGroup {
  readonly name: string;
  readonly creationTime: number;
  readonly logGroupClass: string;
  readonly kmsKeyId: string | undefined;
  retentionInDays: number | undefined;
  readonly streams: Map<string, LogStream>;
}

const eventSchema = z.object({
  timestamp: z.number(),
  message: z.string(),
  ingestionTime: z.number(),
  id: z.number(),
});

const streamSchema = z.object({
  name: z.string(),
  creationTime: z.number(),
  lastIngestionTime: z.number().optional(),
  nextId: z.number(),
  events: z.array(eventSchema),
});

const groupSchema = z.object({
  account: z.string(),
  region: z.string(),
  name: z.string(),
  creationTime: z.number(),
  logGroupClass: z.string(),
  kmsKeyId: z.string().optional(),
  retentionInDays: z.number().optional(),
  streams: z.array(streamSchema),
});

const persistedSchema = z.object({ version: z.literal(1), groups: z.array(groupSchema) });

export type PersistedLogs = z.infer<typeof persistedSchema>;

function key(scope: Scope): string {
  return `${scope.account}/${scope.region}`;
}

export class LogsState {
  private readonly partitions = new Map<string, Map<string, LogGroup>>();

  /** The log groups of one account and region, created empty on first use. */
  groups(scope: Scope): Map<string, LogGroup> {
    let groups = this.partitions.get(key(scope));
    if (!groups) {
      groups = new Map();
      this.partitions.set(key(scope), groups);
    }
    return groups;
  }

  snapshot(): PersistedLogs {
    const groups: PersistedLogs['groups'] = [];
    for (const [partition, byName] of this.partitions) {
      const [account = '', region = ''] = partition.split('/');
      for (const group of byName.values()) {
        groups.push({
          account,
          region,
          name: group.name,
          creationTime: group.creationTime,
          logGroupClass: group.logGroupClass,
          kmsKeyId: group.kmsKeyId,
          retentionInDays: group.retentionInDays,
          streams: [...group.streams.values()].map((s) => ({
            name: s.name,
            creationTime: s.creationTime,
            lastIngestionTime: s.lastIngestionTime,
            nextId: s.nextId,
            events: s.events,
          })),
        });
      }
    }
    return { version: 1, groups };
  }

  /**
   * Rebuilds state from what `snapshot()` saved. A saved file that does not parse
   * is an error rather than an empty start, so a bad data dir never silently
   * drops what was accepted.
   */
  static restore(saved: unknown): LogsState {
    const state = new LogsState();
    if (saved === undefined) return state;
    const parsed = persistedSchema.safeParse(saved);
    if (!parsed.success) {
      throw new Error(`saved CloudWatch Logs state is not readable: ${parsed.error.message}`);
    }
    for (const g of parsed.data.groups) {
      const streams = new Map<string, LogStream>();
      for (const s of g.streams) {
        streams.set(s.name, {
          name: s.name,
          creationTime: s.creationTime,
          events: s.events,
          lastIngestionTime: s.lastIngestionTime,
          nextId: s.nextId,
        });
      }
      state.groups({ account: g.account, region: g.region }).set(g.name, {
        name: g.name,
        creationTime: g.creationTime,
        logGroupClass: g.logGroupClass,
        kmsKeyId: g.kmsKeyId,
        retentionInDays: g.retentionInDays,
        streams,
      });
    }
    return state;
  }
}

/**
 * Adds a batch (already in timestamp order) to a stream. Agents append in
 * order, so the common case is a push; an older batch is merged in, events of
 * equal timestamp keeping ingestion order.
 */
export function addEvents(stream: LogStream, batch: readonly StoredEvent[]): void {
  const first = batch[0];
  if (first === undefined) return;
  const last = stream.events.at(-1);
  if (last === undefined || last.timestamp <= first.timestamp) {
    for (const event of batch) stream.events.push(event);
    return;
  }
  const merged: StoredEvent[] = [];
  let i = 0;
  let j = 0;
  const old = stream.events;
  while (i < old.length || j < batch.length) {
    const a = old[i];
    const b = batch[j];
    if (b === undefined || (a !== undefined && a.timestamp <= b.timestamp)) {
      if (a !== undefined) merged.push(a);
      i++;
    } else {
      merged.push(b);
      j++;
    }
  }
  stream.events = merged;
}
