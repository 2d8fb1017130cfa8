/**
 * What `signet local`'s Loki keeps: per tenant, streams (by their label set)
 * of entries in the order they arrived, with a cap on entries held across
 * all tenants: past it the oldest-arrived are dropped, and counted. As
 * Loki's ingester, an entry repeating one its stream holds (same timestamp
 * and line) is taken but not stored twice, so a sender's retry after a lost
 * answer shows as `repeated`, not as a duplicate.
 */
import type { PushedEntry, PushedStream } from './push.js';

export interface StoredStream {
  readonly labels: Readonly<Record<string, string>>;
  /** Oldest-arrived first; entries before `head` were dropped for the cap. */
  readonly entries: PushedEntry[];
  head: number;
  /** `${ts} ${line}` of the entries held, to spot repeats. */
  readonly held: Set<string>;
  /** The newest timestamp taken so far, to count entries that came out of order. */
  newest: bigint;
}

export interface TenantCounts {
  /** Entries pushed, repeats included. */
  received: number;
  /** Entries that repeated one held (not stored again). */
  repeated: number;
  /** Entries older than one their stream already had. */
  outOfOrder: number;
  /** Entries dropped, oldest first, to stay under the cap. */
  evicted: number;
}

interface Tenant {
  readonly streams: Map<string, StoredStream>;
  readonly counts: TenantCounts;
}

/** Entries stored, in arrival order, per push: which stream, how many. */
interface Arrival {
  readonly tenant: Tenant;
  readonly stream: StoredStream;
  count: number;
}

export const DEFAULT_MAX_ENTRIES = 500_000;

export class LokiLogStore {
  private readonly tenants = new Map<string, Tenant>();
  private arrivals: Arrival[] = [];
  private arrivalsHead = 0;
  private held = 0;

  constructor(readonly maxEntries = DEFAULT_MAX_ENTRIES) {}

  /** Stores a push's streams for a tenant. */
  push(tenantId: string, streams: readonly PushedStream[]): void {
    const tenant = this.tenant(tenantId);
    for (const pushed of streams) {
      const key = streamKey(pushed.labels);
      let stream = tenant.streams.get(key);
      if (!stream) {
        stream = {
          labels: { ...pushed.labels },
          entries: [],
          head: 0,
          held: new Set(),
          newest: -1n << 63n,
        };
        tenant.streams.set(key, stream);
      }
      let stored = 0;
      for (const entry of pushed.entries) {
        tenant.counts.received++;
        const id = `${entry.ts} ${entry.line}`;
        if (stream.held.has(id)) {
          tenant.counts.repeated++;
          continue;
        }
        if (entry.ts < stream.newest) tenant.counts.outOfOrder++;
        else stream.newest = entry.ts;
        stream.held.add(id);
        stream.entries.push(entry);
        stored++;
      }
      if (stored === 0) continue;
      const last = this.arrivals[this.arrivals.length - 1];
      if (last && last.stream === stream && this.arrivals.length > this.arrivalsHead)
        last.count += stored;
      else this.arrivals.push({ tenant, stream, count: stored });
      this.held += stored;
    }
    this.evict();
  }

  /** The tenant's streams, for queries. */
  streams(tenantId: string): Iterable<StoredStream> {
    return this.tenants.get(tenantId)?.streams.values() ?? [];
  }

  /** Per tenant: counts, and entries and streams held now. */
  stats(): Record<string, TenantCounts & { stored: number; streams: number }> {
    const out: Record<string, TenantCounts & { stored: number; streams: number }> = {};
    for (const [id, tenant] of this.tenants) {
      let stored = 0;
      for (const stream of tenant.streams.values()) stored += stream.entries.length - stream.head;
      out[id] = { ...tenant.counts, stored, streams: tenant.streams.size };
    }
    return out;
  }

  private tenant(id: string): Tenant {
    let tenant = this.tenants.get(id);
    if (!tenant) {
      tenant = {
        streams: new Map(),
        counts: { received: 0, repeated: 0, outOfOrder: 0, evicted: 0 },
      };
      this.tenants.set(id, tenant);
    }
    return tenant;
  }

  /** Drops the oldest-arrived entries until the cap holds. */
  private evict(): void {
    while (this.held > this.maxEntries) {
      const arrival = this.arrivals[this.arrivalsHead]!;
      const drop = Math.min(arrival.count, this.held - this.maxEntries);
      const { stream } = arrival;
      for (let i = 0; i < drop; i++) {
        const entry = stream.entries[stream.head]!;
        stream.held.delete(`${entry.ts} ${entry.line}`);
        stream.head++;
      }
      arrival.count -= drop;
      arrival.tenant.counts.evicted += drop;
      this.held -= drop;
      if (arrival.count === 0) this.arrivalsHead++;
      // Let go of what was dropped once it is most of the array.
      if (stream.head > 1024 && stream.head * 2 > stream.entries.length) {
        stream.entries.splice(0, stream.head);
        stream.head = 0;
      }
    }
    if (this.arrivalsHead > 1024 && this.arrivalsHead * 2 > this.arrivals.length) {
      this.arrivals = this.arrivals.slice(this.arrivalsHead);
      this.arrivalsHead = 0;
    }
  }
}

/** A label set's identity: its pairs sorted by name. */
function streamKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
