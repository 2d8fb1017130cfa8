/**
 * What the WAL stores is decided by the pipelines that use it: each registers
 * the record kinds it owns (series and samples for metrics; log entries and
 * spans next), with a type byte that is its name on disk. The segment format,
 * checksums, repair, truncation and per-reader progress know nothing of them.
 */
import { SignetError } from '../../errors.js';
import type { RecordBuilder } from './record-builder.js';

export interface WalRecordKind<T> {
  /** The record's type byte on disk, 1–255. Never reuse one for another meaning: old segments keep it. */
  readonly type: number;
  /** For messages: `samples`, `log entries`. */
  readonly name: string;
  /**
   * Writes `value` into the record the builder has open, from `cursor` on
   * (0 at first). Returns where a next record must continue when the value is
   * too big for one record (see RECORD_TARGET_BYTES), or undefined when all
   * of it is written.
   */
  encode(builder: RecordBuilder, value: T, cursor: number): number | undefined;
  /** A value with nothing to write (an empty batch) is not appended at all. */
  isEmpty(value: T): boolean;
  /** Decodes one payload; throws MalformedRecordError for bytes this kind did not write. */
  decode(buf: Buffer, start: number, end: number): T;
}

/** The record kinds one WAL holds, by type byte. */
export class WalRecordKinds {
  private readonly byType = new Map<number, WalRecordKind<unknown>>();

  constructor(kinds: readonly WalRecordKind<unknown>[]) {
    for (const kind of kinds) {
      if (!Number.isInteger(kind.type) || kind.type < 1 || kind.type > 255)
        throw new SignetError(`WAL record kind ${kind.name} has type ${kind.type}`, {
          hint: 'a record type is a byte from 1 to 255 (0 marks zeroed disk blocks)',
        });
      const taken = this.byType.get(kind.type);
      if (taken && taken !== kind)
        throw new SignetError(
          `WAL record kinds ${taken.name} and ${kind.name} both use type ${kind.type}`,
          { hint: 'give each record kind its own type byte' },
        );
      this.byType.set(kind.type, kind);
    }
  }

  get(type: number): WalRecordKind<unknown> | undefined {
    return this.byType.get(type);
  }
}

/** One record as read back: its kind and decoded value. */
export interface WalRecord {
  readonly kind: WalRecordKind<unknown>;
  readonly value: unknown;
}

/** The record's value when it is of `kind`, else undefined. */
export function recordOf<T>(record: WalRecord, kind: WalRecordKind<T>): T | undefined {
  return record.kind === (kind as WalRecordKind<unknown>) ? (record.value as T) : undefined;
}
