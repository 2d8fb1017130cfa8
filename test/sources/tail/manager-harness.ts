/**
 * The manager's test harness: a manager over real files with the polling
 * tailer, a positions file in the test's directory, and a pipeline that
 * records every line (labels, token, job) and settles those it is told to.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FileTargetManager, type TailBatch } from '../../../src/sources/tail/manager.js';
import { Positions } from '../../../src/sources/tail/positions.js';
import { PollingTailer } from './polling-tailer.js';

export const SYNC_MS = 100;

export interface Received {
  path: string;
  line: string;
  labels: Record<string, string>;
  token: number;
  job: string;
}

export async function harness(
  dir: string,
  options: { settle?: (r: Received) => boolean; syncMs?: number } = {},
) {
  const syncMs = options.syncMs ?? SYNC_MS;
  const warnings: string[] = [];
  const log = (level: string, message: string) => {
    if (level !== 'info') warnings.push(`${level}: ${message}`);
  };
  const positions = await Positions.load({
    file: join(dir, 'positions.yaml'),
    syncPeriodMs: syncMs,
    ignoreInvalidYaml: false,
    log,
  });
  const received: Received[] = [];
  const settleIf = options.settle ?? (() => true);
  const manager: FileTargetManager = new FileTargetManager({
    positions,
    createTailer: (o) => new PollingTailer(o),
    tailing: { maxLineSize: 0, truncateLongLines: false, pollMinMs: 20, pollMaxMs: 100 },
    syncPeriodMs: syncMs,
    log,
    hostname: 'this-host',
    onLines: async (batch: TailBatch) => {
      await sleep(1); // a pipeline takes a moment; the tailer waits for it
      batch.lines.forEach((line, i) => {
        const r = {
          path: batch.path,
          line: line.line,
          labels: { ...batch.labels },
          token: batch.firstToken + i,
          job: batch.job,
        };
        received.push(r);
        if (settleIf(r)) manager.settle(r.token);
      });
    },
  });
  return { manager, positions, received, warnings };
}

export async function until(what: string, check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function numbered(prefix: string, from: number, to: number): string {
  let text = '';
  for (let i = from; i <= to; i++) text += `${prefix} ${i}\n`;
  return text;
}
