/**
 * Positions, settling and the manager together under SIGKILL: a child
 * process tails a growing file and "sends" each batch by appending it to an
 * output file (fsynced) before settling its tokens; it is killed with
 * SIGKILL at random moments ten times and restarted. Every line written
 * must reach the output; lines sent but not yet settled when the child died
 * may arrive twice, and only those.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const dist = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);

const CHILD = `
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { FileTargetManager } from ${dist('../../../src/sources/tail/manager.js')};
import { Positions } from ${dist('../../../src/sources/tail/positions.js')};
import { PollingTailer } from ${dist('./polling-tailer.js')};
const [logDir, outFile, positionsFile] = process.argv.slice(2);
const out = openSync(outFile, 'a');
const positions = await Positions.load({ file: positionsFile, syncPeriodMs: 30, ignoreInvalidYaml: false, log: () => {} });
const manager = new FileTargetManager({
  positions,
  createTailer: (o) => new PollingTailer(o),
  tailing: { maxLineSize: 0, truncateLongLines: false, pollMinMs: 5, pollMaxMs: 20 },
  syncPeriodMs: 100,
  log: () => {},
  onLines: async (batch) => {
    writeSync(out, batch.lines.map((l) => l.line + '\\n').join(''));
    fsyncSync(out);
    // Settled in a shuffled order, as clients finish chunks.
    const order = batch.lines.map((_, i) => i).sort(() => Math.random() - 0.5);
    for (const i of order) manager.settle(batch.firstToken + i);
  },
});
await manager.start([{ job: 'crash', labels: { __path__: logDir + '/*.log' } }]);
process.stdout.write('ready\\n');
process.on('SIGTERM', async () => { await manager.stop(); closeSync(out); process.exit(0); });
`;

function startChild(script: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
}

function lineCounts(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const n = Number(/^line (\d+) /.exec(line)![1]);
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  return counts;
}

test('killed with SIGKILL ten times while tailing, nothing is lost; only the unsettled tail repeats', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-crash-'));
  try {
    const logDir = join(dir, 'logs');
    const log = join(logDir, 'app.log');
    const outFile = join(dir, 'out.txt');
    const script = join(dir, 'child.mjs');
    await writeFile(script, CHILD);
    await appendFile(outFile, '');
    await mkdir(logDir);
    await writeFile(log, '');
    const args = [logDir, outFile, join(dir, 'positions.yaml')];

    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        let chunk = '';
        for (let i = 0; i < 50; i++) chunk += `line ${++written} ${'x'.repeat(40)}\n`;
        await appendFile(log, chunk);
        await sleep(2);
      }
    })();

    let child = await startChild(script, args);
    for (let kill = 0; kill < 10; kill++) {
      await sleep(80 + Math.random() * 200);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      child = await startChild(script, args);
    }
    writing = false;
    await writer;

    // Let the last child catch up, then stop it cleanly.
    const deadline = Date.now() + 15_000;
    while (lineCounts(await readFile(outFile, 'utf8')).size < written && Date.now() < deadline)
      await sleep(50);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;

    const counts = lineCounts(await readFile(outFile, 'utf8'));
    const missing = [];
    for (let n = 1; n <= written; n++) if (!counts.has(n)) missing.push(n);
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} of ${written} lines lost`);
    const repeated = [...counts.values()].filter((c) => c > 1).length;
    // Only lines sent and not yet saved as settled when a kill came repeat: what is read
    // between two position saves (30 ms) and the restart. A loose bound, so a loaded machine
    // (slower restarts, more read before a save) does not fail it; losing lines is the point.
    assert.ok(repeated < written / 2, `${repeated} of ${written} lines sent twice`);
    process.stdout.write(`# ${written} lines, 10 SIGKILLs, ${repeated} sent twice, none lost\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
