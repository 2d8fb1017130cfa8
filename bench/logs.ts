/**
 * Logs throughput of `signet run` (issue 12's performance item): files laid
 * out and formatted as the kubelet writes them are written at fixed rates,
 * tailed by a fresh agent (a child process) and pushed to a fast
 * Loki-compatible receiver in this process, which checks every line arrived
 * once and in order and measures write-to-arrival delay. The agent's CPU and
 * RSS come from /proc/<pid>.
 *
 *   npm run bench:logs
 *   npm run bench:logs -- --duration 20 --rates 10000,50000,100000 --files 4 --search 2
 *   npm run bench:logs -- --configs stages --wal
 *
 * Configs: `none` (no stages) and `stages` (cri + regex + labels, as a pod
 * log DaemonSet config runs them). After the fixed rates, `--search` more
 * steps look upward for the highest rate kept up (×1.5 while it keeps up,
 * then halfway to the first rate that did not). Kept up: nothing lost or
 * duplicated, p99 delay within --max-p99 ms (default 3000: the client's 1 s
 * batchwait plus polling), and at least 90% of the lines arrived while the
 * writer was still writing (an agent falling behind lags more and more). The bench process itself (writer and receiver)
 * uses a core of its own at high rates; run on an otherwise idle machine.
 */
import { parseArgs } from 'node:util';
import { PushCounter } from './logs/push-counter.js';
import { runStep, type StepResult } from './logs/step.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '15' },
    rates: { type: 'string', default: '10000,50000,100000' },
    files: { type: 'string', default: '4' },
    configs: { type: 'string', default: 'none,stages' },
    search: { type: 'string', default: '2' },
    'max-p99': { type: 'string', default: '3000' },
    drain: { type: 'string', default: '10' },
    wal: { type: 'boolean', default: false },
  },
});

const STAGES: Record<string, readonly unknown[]> = {
  none: [],
  // CRI's prefix parsed (stream label, original timestamp), the level pulled
  // out with a regex and made a label: one file feeds a stream per level.
  stages: [
    { cri: {} },
    { regex: { expression: '^level=(?P<level>\\w+) ' } },
    { labels: { level: null } },
  ],
};

const configs = args.configs.split(',').map((name) => {
  const stages = STAGES[name];
  if (!stages) throw new Error(`--configs: '${name}' is none or stages`);
  return { name, stages };
});
const base = {
  files: Number(args.files),
  durationMs: Number(args.duration) * 1000,
  drainMs: Number(args.drain) * 1000,
  wal: args.wal,
  maxP99Ms: Number(args['max-p99']),
};

const columns = [
  ['config', 8],
  ['target/s', 9],
  ['offered/s', 10],
  ['delivered/s', 12],
  ['CPU-ms/10k', 11],
  ['cores', 6],
  ['RSS MiB', 8],
  ['p50 ms', 7],
  ['p99 ms', 7],
  ['lost', 8],
  ['dup', 6],
  ['order', 6],
  ['streams', 8],
  ['kept up', 8],
] as const;
const row = (cells: readonly string[]) => cells.map((c, i) => c.padStart(columns[i]![1])).join(' ');
const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function line(config: string, r: StepResult): string {
  return row([
    config,
    String(r.target),
    fixed(r.offered),
    fixed(r.delivered),
    fixed(r.cpuMsPer10k, 1),
    fixed(r.cores, 2),
    fixed(r.rssMiB, 1),
    fixed(r.p50Ms),
    fixed(r.p99Ms),
    String(r.lost),
    String(r.duplicates),
    String(r.outOfOrder),
    String(r.streams),
    r.keptUp
      ? 'yes'
      : r.agentExit !== 0
        ? `no (exit ${r.agentExit})`
        : r.writerShort
          ? 'writer short'
          : 'no',
  ]);
}

const counter = new PushCounter();
await counter.start();
const harnessCpu0 = process.cpuUsage();
const started = performance.now();
console.log(
  `signet run tailing ${base.files} kubelet-style files, ${args.duration} s a step, ` +
    `logs WAL ${base.wal ? 'on' : 'off'}, Promtail's client defaults (batchwait 1s, batchsize 1 MiB)`,
);
console.log(row(columns.map(([name]) => name)));
const summary: string[] = [];
try {
  for (const { name, stages } of configs) {
    let highest = 0;
    let lowestFailed = Infinity;
    const step = async (rate: number) => {
      const result = await runStep(counter, { ...base, rate, stages });
      console.log(line(name, result));
      if (result.keptUp) highest = Math.max(highest, rate);
      else if (!result.writerShort) lowestFailed = Math.min(lowestFailed, rate);
      for (const warning of result.agentWarnings) console.log(`  agent: ${warning}`);
      if (result.unmarked || counter.badPushes.length)
        console.log(
          `  ${result.unmarked} unmarked lines; bad pushes: ${counter.badPushes.slice(0, 3).join('; ')}`,
        );
    };
    for (const rate of args.rates.split(',').map(Number)) await step(rate);
    for (let i = 0; i < Number(args.search); i++) {
      const next =
        lowestFailed === Infinity
          ? Math.round((Math.max(highest, 10_000) * 1.5) / 5000) * 5000
          : Math.round((highest + lowestFailed) / 2 / 5000) * 5000;
      if (next <= highest || next >= lowestFailed) break;
      await step(next);
    }
    summary.push(
      `${name}: highest rate kept up ${highest ? `${highest} lines/s` : 'none of those tried'}`,
    );
  }
} finally {
  await counter.close();
}
const harness = process.cpuUsage(harnessCpu0);
console.log(summary.join('\n'));
console.log(
  `bench process (writer + receiver): ${((harness.user + harness.system) / 1000 / (performance.now() - started)).toFixed(2)} cores on average; ` +
    `took ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
