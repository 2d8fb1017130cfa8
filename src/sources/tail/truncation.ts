/**
 * What a truncated generation leaves to read. The live file got smaller or
 * changed its first bytes: copytruncate (or a writer truncating it). What was
 * not yet read of the old generation is read from the rotated copy when one
 * with the same first bytes is found, from where reading had got to. Lines
 * written between logrotate's copy and its truncate are in neither file:
 * logrotate itself loses them, no reader can recover them.
 */
import type { LineSplitter } from './line-splitter.js';
import type { TailEventBody } from './line-delivery.js';
import { findUnreadCopy, readHead } from './rotated-copy.js';
import { fingerprintBytes, type TailedFile } from './tailed-file.js';
import type { FileIdentity } from './types.js';

export interface TruncationContext {
  readonly path: string;
  /** Files the tailer holds open: never taken for the copy. */
  readonly held: readonly FileIdentity[];
  /** The generation the truncated file starts. */
  readonly generation: number;
  /** A fresh splitter from offset 0 for it. */
  readonly splitter: LineSplitter;
  readonly emit: (event: TailEventBody) => void;
}

/**
 * Starts `file` again as a new generation from 0 and returns the old
 * generation's rest, to be read before it: the copy from the old offset to its
 * end, or (no copy) nothing but the held partial line.
 */
export async function splitTruncated(
  file: TailedFile,
  size: number,
  context: TruncationContext,
): Promise<TailedFile> {
  const from = file.splitter.fileOffset;
  const previousSize = Math.max(file.lastSize, from);
  const { emit, generation } = context;
  emit({
    kind: 'truncated',
    identity: file.identity,
    previousSize,
    readOffset: from,
    size,
    generation,
  });
  const copy = await findUnreadCopy(context.path, file.fingerprint, from, context.held);
  if (copy) {
    const { path: copyPath, identity, size: to } = copy;
    emit({ kind: 'recoveredFromRotatedCopy', copyPath, identity, from, to });
  } else if (from < previousSize) {
    emit({ kind: 'rotatedCopyNotFound', readOffset: from, previousSize });
  }
  const rest: TailedFile = {
    ...file,
    handle: copy?.handle,
    identity: copy?.identity ?? file.identity,
    endAt: copy?.size ?? from,
    live: false,
  };
  file.generation = generation;
  file.splitter = context.splitter;
  file.lastSize = size;
  file.committed = 0;
  if (file.handle) file.fingerprint = await readHead(file.handle, Math.min(fingerprintBytes, size));
  file.lastGrowthAt = Date.now();
  return rest;
}
