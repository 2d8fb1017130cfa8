// Prints, per load, Signet's figures next to the latest Prometheus run of the
// same load in a results file written by bench/agent.sh (the harness's JSONL).
import { readFileSync } from 'node:fs';

const rows = readFileSync(process.argv[2], 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('{'))
  .map((line) => JSON.parse(line))
  .filter((r) => r.ok !== false);
const latest = new Map();
for (const r of rows) {
  const kind = String(r.agent).startsWith('prometheus') ? 'prometheus' : 'signet';
  latest.set(`${r.targets}x${r.series_per_target}@${r.interval_s}/${kind}`, r);
}
const loads = [...new Set(rows.map((r) => `${r.targets}x${r.series_per_target}@${r.interval_s}`))];
const fmt = (v, d = 2) => (typeof v === 'number' ? v.toFixed(d) : '—');
console.log(
  '| load | series | samples/s | agent | CPU ms/1k samples | RSS B/series | keep-up | delay s | CPU ratio | RSS ratio |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const load of loads) {
  const p = latest.get(`${load}/prometheus`);
  const s = latest.get(`${load}/signet`);
  for (const r of [p, s]) {
    if (!r) continue;
    const own = r === s && p;
    console.log(
      `| ${load} | ${r.active_series} | ${Math.round(r.offered_samples_per_s)} | ${r.agent} | ` +
        `${fmt(r.cpu_ms_per_1k_samples)} | ${Math.round(r.rss_bytes_per_series)} | ${r.keep_up} | ` +
        `${fmt(r.delivery_delay_mean_s, 3)} | ` +
        `${own ? fmt(s.cpu_ms_per_1k_samples / p.cpu_ms_per_1k_samples) + '×' : ''} | ` +
        `${own ? fmt(s.rss_bytes_per_series / p.rss_bytes_per_series) + '×' : ''} |`,
    );
  }
}
