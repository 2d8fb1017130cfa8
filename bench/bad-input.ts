/**
 * Peak memory of a real agent (`signet run` in a child process) scraping one
 * bad page from a local target, read from /proc/<pid>/status (VmHWM):
 *
 *   npm run bench:bad-input                      both pages
 *   npm run bench:bad-input -- help              50 MB of HELP lines only
 *   npm run bench:bad-input -- series [count]    one target of `count` series (default 1,000,000)
 *
 * Each case waits for a few scrapes to finish (the target counts requests;
 * a target is scraped one scrape at a time), polling the agent's /metrics
 * every 200 ms, and reports the peak RSS, the RSS at the end and the slowest
 * /metrics answer while it scraped.
 */
import { performance } from 'node:perf_hooks';
import { helpPage, PageTarget, seriesPage, startChildAgent } from '../test/helpers/agent-child.js';

interface CaseResult {
  readonly name: string;
  readonly pageBytes: number;
  readonly scrapes: number;
  readonly peakMiB: number;
  readonly endMiB: number;
  readonly idleMiB: number;
  readonly slowestMetricsMs: number;
  readonly health: string;
}

async function run(name: string, page: Buffer, scrapes: number): Promise<CaseResult> {
  const target = await PageTarget.start(page);
  const agent = await startChildAgent(target.address, { interval: '5s', timeout: '5s' });
  const idle = agent.memoryKiB();
  let slowest = 0;
  let health = 'unknown';
  try {
    const deadline = Date.now() + 180_000;
    // Scrape n has finished once request n + 1 arrives.
    while (target.requests <= scrapes && Date.now() < deadline) {
      const started = performance.now();
      const res = await fetch(`${agent.url}/metrics`, { signal: AbortSignal.timeout(30_000) });
      await res.text();
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((r) => setTimeout(r, 200));
    }
    const targets = (await (await fetch(`${agent.url}/agent/api/v1/metrics/targets`)).json()) as {
      data: { health: string; lastError: string }[];
    };
    health = `${targets.data[0]?.health ?? '?'} ${targets.data[0]?.lastError ?? ''}`.trim();
    const end = agent.memoryKiB();
    return {
      name,
      pageBytes: page.length,
      scrapes: target.requests - 1,
      peakMiB: end.peak / 1024,
      endMiB: end.now / 1024,
      idleMiB: idle.now / 1024,
      slowestMetricsMs: slowest,
      health,
    };
  } finally {
    await agent.stop();
    await target.close();
  }
}

async function main(): Promise<void> {
  const [which = 'all', countArg] = process.argv.slice(2);
  const results: CaseResult[] = [];
  if (which === 'all' || which === 'help') {
    results.push(await run('50 MB of HELP lines', helpPage(50 * 1024 * 1024), 3));
  }
  if (which === 'all' || which === 'series') {
    const count = Number(countArg ?? 1_000_000);
    results.push(await run(`${count} series`, seriesPage(count), 2));
  }
  console.log(`node ${process.version}; peak = VmHWM of the agent process`);
  console.log(
    `${'page'.padEnd(22)} ${'MB'.padStart(6)} ${'scrapes'.padStart(7)} ${'idle MiB'.padStart(9)} ${'peak MiB'.padStart(9)} ${'end MiB'.padStart(8)} ${'slowest /metrics'.padStart(17)}  target`,
  );
  for (const r of results) {
    console.log(
      `${r.name.padEnd(22)} ${(r.pageBytes / 1e6).toFixed(1).padStart(6)} ${String(r.scrapes).padStart(7)} ${r.idleMiB.toFixed(0).padStart(9)} ${r.peakMiB.toFixed(0).padStart(9)} ${r.endMiB.toFixed(0).padStart(8)} ${`${r.slowestMetricsMs.toFixed(0)} ms`.padStart(17)}  ${r.health}`,
    );
  }
}

await main();
