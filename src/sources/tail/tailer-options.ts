/** The tailer's options checked once, with the defaults filled in. */
import { SignetError } from '../../errors.js';
import type { FileTailerOptions } from './types.js';

export class TailOptionsError extends SignetError {}

export interface TailerSettings {
  readonly readChunkBytes: number;
  readonly rotateWaitMs: number;
  readonly partialLineFlushMs: number;
}

export function checkTailerOptions(options: FileTailerOptions): TailerSettings {
  const place = `tailing ${options.path}`;
  if (!(options.pollMinMs > 0) || !(options.pollMaxMs >= options.pollMinMs)) {
    throw new TailOptionsError(
      `${place}: poll interval ${options.pollMinMs}…${options.pollMaxMs} ms is not a range`,
      { hint: 'min_poll_frequency must be above 0 and at most max_poll_frequency' },
    );
  }
  if (!(options.maxLineSize >= 0) || !(options.startOffset >= 0)) {
    throw new TailOptionsError(`${place}: max line size and start offset cannot be negative`, {
      hint: 'set max_line_size to 0 (no limit) or a size such as 256KiB',
    });
  }
  return {
    readChunkBytes: Math.max(4096, options.readChunkBytes ?? 128 * 1024),
    rotateWaitMs: options.rotateWaitMs ?? 5000,
    partialLineFlushMs: options.partialLineFlushMs ?? 5000,
  };
}
