/**
 * `npm run soak`: does the agent deliver every sample exactly once through the
 * failures an AMP destination meets? Each scenario runs `signet local` (AMP,
 * SigV4 verified) and `signet run` as child processes, the agent scraping a
 * counter whose value is its scrape number every 250 ms and remote-writing it
 * with SigV4; a fault is injected, lasts 12–20 s, and is cured. The target is
 * then frozen and the run waits for every value served to be stored.
 *
 * expected: values the target served (at a SIGKILL of the agent, the one
 *   scrape in flight is not expected unless it arrived: it was never appended)
 * delivered: expected values AMP stored, read back with query_range
 * duplicated: samples AMP received for a series and timestamp it already had
 *   (GET /_signet/aps/stats)
 * lost: expected − delivered
 *
 * Usage: npm run soak [-- --json] [-- --only NAME[,NAME]]. Exit status 1 if
 * any scenario lost a sample.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AgentProcess,
  CounterTarget,
  LocalAmp,
  SECRET_ACCESS_KEY,
  freePort,
  sleep,
  waitUntil,
} from './lib/soak-harness.js';

interface Context {
  readonly amp: LocalAmp;
  readonly agent: AgentProcess;
  readonly target: CounterTarget;
  /** Served values not expected: the scrape in flight when the agent was killed. */
  readonly inFlight: Set<number>;
}

interface Scenario {
  readonly name: string;
  readonly title: string;
  readonly region?: string;
  readonly secret?: string;
  readonly remoteTimeout?: string;
  /** Counts the writes AMP refused or cut; not for faults AMP never sees or answers late. */
  readonly countsRefusals?: boolean;
  run(ctx: Context): Promise<void>;
}

interface Row {
  readonly scenario: string;
  readonly title: string;
  readonly expected: number;
  readonly delivered: number;
  readonly duplicated: number;
  readonly lost: number;
  /** Remote writes AMP refused or cut while the fault lasted; null where it never saw the fault. */
  readonly refused: number | null;
  readonly seconds: number;
  readonly notes: string;
  /** The first lost values, for investigation. */
  readonly lostValues: number[];
  readonly logDir?: string;
}

const FAULT_MS = 15_000;
const WRONG_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGSECRET';

/** Until AMP has stored something, then two seconds of normal flow. */
async function flowing(ctx: Context): Promise<void> {
  await waitUntil('the first samples in AMP', async () => (await ctx.amp.stats()).received > 0);
  await sleep(2000);
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'outage',
    title: 'AMP down 12 s (process stopped, restarted on the same port and data)',
    async run(ctx) {
      await flowing(ctx);
      await ctx.amp.stop();
      await sleep(12_000);
      await ctx.amp.start();
    },
  },
  {
    name: '503',
    countsRefusals: true,
    title: `503 ServiceUnavailable for ${FAULT_MS / 1000} s`,
    async run(ctx) {
      await flowing(ctx);
      await ctx.amp.fault({ kind: 'error', status: 503, duration_ms: FAULT_MS });
      await sleep(FAULT_MS);
    },
  },
  {
    name: '429',
    countsRefusals: true,
    title: `429 ThrottlingException for ${FAULT_MS / 1000} s`,
    async run(ctx) {
      await flowing(ctx);
      await ctx.amp.fault({ kind: 'throttle', duration_ms: FAULT_MS });
      await sleep(FAULT_MS);
    },
  },
  {
    name: 'reset',
    countsRefusals: true,
    title: `connection reset on every request for ${FAULT_MS / 1000} s`,
    async run(ctx) {
      await flowing(ctx);
      await ctx.amp.fault({ kind: 'reset', duration_ms: FAULT_MS });
      await sleep(FAULT_MS);
    },
  },
  {
    name: 'latency',
    title: `answers after 2.5 s, past remote_timeout 1s, for ${FAULT_MS / 1000} s`,
    remoteTimeout: '1s',
    async run(ctx) {
      await flowing(ctx);
      await ctx.amp.fault({ kind: 'latency', latency_ms: 2500, duration_ms: FAULT_MS });
      await sleep(FAULT_MS);
    },
  },
  {
    name: 'sigkill',
    countsRefusals: true,
    title:
      'agent SIGKILLed with 3 s of samples unsent (AMP answering 503), restarted on the same WAL',
    async run(ctx) {
      await flowing(ctx);
      // The kill lands while nothing is being accepted, so the unsent samples
      // exist only in the WAL when the process dies.
      await ctx.amp.fault({ kind: 'error', status: 503, duration_ms: 8000 });
      await sleep(3000);
      await ctx.agent.stop('SIGKILL');
      // The last scrape served may not have been appended when the kill landed.
      ctx.inFlight.add(ctx.target.served);
      await sleep(3000);
      ctx.agent.start();
      await sleep(8000);
    },
  },
  {
    name: 'wrong-secret',
    countsRefusals: true,
    title: 'wrong secret key for 20 s, then the credentials file fixed',
    secret: WRONG_SECRET,
    async run(ctx) {
      await sleep(20_000);
      ctx.agent.writeCredentials(SECRET_ACCESS_KEY);
    },
  },
  {
    name: 'wrong-region',
    countsRefusals: true,
    title: 'signing for us-east-2 at a us-east-1 endpoint for 20 s, then config fixed + /-/reload',
    region: 'us-east-2',
    async run(ctx) {
      await sleep(20_000);
      ctx.agent.writeConfig({ region: 'us-east-1', remoteTimeout: '5s' });
      await ctx.agent.reload();
    },
  },
];

async function runScenario(scenario: Scenario, keepLogs: boolean): Promise<Row> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), `signet-soak-${scenario.name}-`));
  const target = await CounterTarget.start();
  const amp = new LocalAmp(await freePort(), join(dir, 'amp-data'), join(dir, 'local.log'));
  await amp.start();
  const agent = new AgentProcess(dir, amp.port, target.address, await freePort());
  agent.writeCredentials(scenario.secret ?? SECRET_ACCESS_KEY);
  agent.writeConfig({
    region: scenario.region ?? 'us-east-1',
    remoteTimeout: scenario.remoteTimeout ?? '5s',
  });
  const ctx: Context = { amp, agent, target, inFlight: new Set() };
  agent.start();
  let stored = new Set<number>();
  let notes = '';
  try {
    await scenario.run(ctx);
    // Recovery under load, then freeze the target and wait for the tail.
    await sleep(3000);
    target.frozen = true;
    await sleep(600);
    const served = target.served;
    const expectedValues = (): number[] => {
      const values: number[] = [];
      for (let v = 1; v <= served; v++) if (!ctx.inFlight.has(v) || stored.has(v)) values.push(v);
      return values;
    };
    const delivered = await waitUntil(
      'every served value in AMP',
      async () => {
        stored = await amp.storedValues(started - 1000, Date.now());
        return expectedValues().every((v) => stored.has(v));
      },
      60_000,
      false,
    );
    if (!delivered) notes = 'gave up waiting after 60 s';
    for (const v of ctx.inFlight)
      notes += `${notes ? '; ' : ''}scrape ${v} in flight at the kill ${stored.has(v) ? 'arrived' : 'not appended, not expected'}`;
    const stats = await amp.stats();
    const refused = scenario.countsRefusals ? await amp.refusedWrites() : null;
    const expected = expectedValues();
    const lostValues = expected.filter((v) => !stored.has(v));
    return {
      scenario: scenario.name,
      title: scenario.title,
      expected: expected.length,
      delivered: expected.length - lostValues.length,
      duplicated: stats.repeated,
      lost: lostValues.length,
      refused,
      seconds: Math.round((Date.now() - started) / 1000),
      notes,
      lostValues: lostValues.slice(0, 20),
      ...(lostValues.length > 0 || keepLogs ? { logDir: dir } : {}),
    };
  } finally {
    await agent.stop('SIGTERM');
    await amp.stop();
    await target.close();
    if (!keepLogs) {
      // Logs are kept when something was lost (the row names the directory).
      const lost = expectedLost(stored, target.served, ctx.inFlight);
      if (!lost) rmSync(dir, { recursive: true, force: true });
    }
  }
}

function expectedLost(stored: Set<number>, served: number, inFlight: Set<number>): boolean {
  for (let v = 1; v <= served; v++) if (!inFlight.has(v) && !stored.has(v)) return true;
  return false;
}

function markdown(rows: readonly Row[]): string {
  const lines = [
    '| scenario | writes refused by AMP | samples expected | delivered | duplicated | lost |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.title} | ${r.refused ?? '—'} | ${r.expected} | ${r.delivered} | ${r.duplicated} | ${r.lost} |`,
    ),
  ];
  return lines.join('\n');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const keepLogs = args.includes('--keep-logs');
  const onlyIndex = args.indexOf('--only');
  const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').split(',') : undefined;
  const chosen = SCENARIOS.filter((s) => !only || only.includes(s.name));
  if (chosen.length === 0) {
    console.error(
      `no scenario named ${only?.join(',')}; scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
    return 2;
  }
  const started = Date.now();
  const rows: Row[] = [];
  for (const scenario of chosen) {
    process.stderr.write(`soak: ${scenario.name} … `);
    const row = await runScenario(scenario, keepLogs);
    rows.push(row);
    process.stderr.write(
      `refused ${row.refused ?? '—'}, expected ${row.expected}, delivered ${row.delivered}, duplicated ${row.duplicated}, lost ${row.lost} (${row.seconds} s)` +
        `${row.notes ? ` — ${row.notes}` : ''}${row.logDir ? ` — logs in ${row.logDir}` : ''}\n`,
    );
  }
  const totalSeconds = Math.round((Date.now() - started) / 1000);
  if (json) {
    console.log(JSON.stringify({ rows, total_seconds: totalSeconds }, null, 2));
  } else {
    console.log(markdown(rows));
    console.log(`\ntotal run time: ${totalSeconds} s (node ${process.version})`);
  }
  return rows.some((r) => r.lost > 0) ? 1 : 0;
}

process.exitCode = await main();
