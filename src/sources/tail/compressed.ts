/**
 * Promtail's `decompression` block: a rotated archive (`gz`, or `z` for zlib
 * deflate) is read once, start to end, through a streaming decompressor, so
 * memory stays at one chunk plus the longest kept line; offsets count
 * uncompressed bytes, as Promtail's positions for such files do.
 */
import { createReadStream } from 'node:fs';
import { createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';

export type CompressionFormat = 'gz' | 'z';

function decompressor(format: CompressionFormat): Transform {
  return format === 'gz' ? createGunzip() : createInflate();
}

/**
 * Streams the uncompressed bytes from `skip` on to `consume`, awaiting each
 * call (back-pressure reaches the file read). Stops early when `stopped()`.
 * Returns the number of uncompressed bytes the file holds (as far as read).
 */
export async function streamDecompressed(
  path: string,
  format: CompressionFormat,
  skip: number,
  consume: (chunk: Buffer) => Promise<void>,
  stopped: () => boolean,
): Promise<number> {
  const source = createReadStream(path, { highWaterMark: 64 * 1024 });
  const inflated = source.pipe(decompressor(format));
  source.on('error', (error) => inflated.destroy(error));
  let position = 0;
  try {
    for await (const piece of inflated as AsyncIterable<Buffer>) {
      const from = Math.max(0, Math.min(piece.length, skip - position));
      position += piece.length;
      if (from < piece.length) await consume(piece.subarray(from));
      if (stopped()) break;
    }
  } finally {
    inflated.destroy();
    source.destroy();
  }
  return position;
}
