// Prints the logs-to-CloudWatch results appended by bench/logs-aws.sh (from
// line START of the JSONL file on) as a table, Signet beside Fluent Bit per
// load, with the CPU-per-line and RSS ratios the issue's targets are set in.
import { readFileSync } from 'node:fs';

const [file, start = '0'] = process.argv.slice(2);
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .slice(Number(start))
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l));
const byLoad = new Map();
for (const r of rows) {
  const entry = byLoad.get(r.label) ?? {};
  entry[/fluent/i.test(r.agent) ? 'anchor' : r.agent] = r;
  byLoad.set(r.label, entry);
}
const fmt = (v, d = 1) => (typeof v === 'number' ? v.toFixed(d) : '–');
console.log(
  '| load | agent | lines/s recv | CPU ms/10k lines | RSS steady MB | RSS peak MB | e2e p99 ms | lost | dup | sigv4 bad | keeps up | CPU ratio | RSS ratio |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const [load, { anchor, ...signets }] of byLoad) {
  for (const r of [anchor, ...Object.values(signets)]) {
    if (!r) continue;
    const isSignet = r !== anchor;
    const cpuRatio =
      isSignet && anchor ? r.cpu_ms_per_10k_lines / anchor.cpu_ms_per_10k_lines : undefined;
    const rssRatio = isSignet && anchor ? r.rss_steady_mb / anchor.rss_steady_mb : undefined;
    console.log(
      `| ${load} | ${r.agent} | ${r.received_lps} | ${fmt(r.cpu_ms_per_10k_lines)} | ${fmt(r.rss_steady_mb)} | ${fmt(r.rss_peak_mb)} | ${r.e2e_delay_ms?.p99 ?? '–'} | ${r.lost} | ${r.duplicates} | ${r.sigv4_bad} | ${r.keeps_up ? 'yes' : `no (${r.verdict})`} | ${fmt(cpuRatio, 2)} | ${fmt(rssRatio, 2)} |`,
    );
  }
}
