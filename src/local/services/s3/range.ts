/** The single byte range of a GetObject `Range` header (RFC 9110), as S3 applies it. */
import { ServiceError } from '../../service.js';

export interface ByteRange {
  readonly start: number;
  /** Inclusive. */
  readonly end: number;
}

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

const unsatisfiable = (header: string, size: number): ServiceError =>
  new ServiceError('InvalidRange', 'The requested range is not satisfiable', 416, 'Sender', {
    RangeRequested: header,
    ActualObjectSize: String(size),
  });

/**
 * The range to send, or undefined for the whole object. Like S3, a header
 * that does not parse (or asks for several ranges) is ignored; one that
 * parses but lies past the end is InvalidRange.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw unsatisfiable(header, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  // A last byte before the first makes the header invalid (ignored), not unsatisfiable.
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) throw unsatisfiable(header, size);
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}
