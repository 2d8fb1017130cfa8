/**
 * Turns split lines into the ReadLines the consumer gets, decoding each and
 * reporting what happened to it on the way: cut, dropped, flushed without its
 * newline, or holding bytes invalid in the file's encoding.
 */
import type { LineDecoder } from './line-decoder.js';
import type { SplitResult } from './line-splitter.js';
import type { FileIdentity, ReadLine, TailEvent } from './types.js';

/** A TailEvent without the path, which the tailer adds. */
export type TailEventBody = TailEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'path'>
    : never
  : never;

export function toReadLines(
  result: SplitResult,
  source: { readonly generation: number; readonly identity: FileIdentity },
  decoder: LineDecoder,
  maxLineSize: number,
  emit: (event: TailEventBody) => void,
): ReadLine[] {
  const lines: ReadLine[] = [];
  for (const raw of result.lines) {
    let bytes = raw.bytes;
    if (raw.shape === 'cut') {
      bytes = decoder.trimCut(bytes);
      emit({ kind: 'lineTruncated', start: raw.start, bytes: raw.length, limit: maxLineSize });
    } else if (raw.shape === 'partial') {
      emit({ kind: 'partialLineFlushed', start: raw.start, bytes: raw.length });
    }
    const decoded = decoder.decode(bytes, raw.start === 0);
    if (decoded.invalid)
      emit({ kind: 'decodeError', start: raw.start, encoding: decoder.encoding });
    lines.push({
      line: decoded.text,
      start: raw.start,
      end: raw.end,
      generation: source.generation,
      identity: source.identity,
    });
  }
  for (const drop of result.dropped) {
    emit({ kind: 'lineDropped', start: drop.start, bytes: drop.length, limit: maxLineSize });
  }
  return lines;
}
