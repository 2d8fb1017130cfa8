/**
 * Runs in the DNS namespace made by logs-dns.test.ts (see sd-helpers.ts
 * runInDnsNamespace): a logs scrape config with dns_sd_configs, loaded from
 * YAML as `signet run` loads it, its targets discovered through the DNS
 * stand-in on port 53 and relabeled into paths; prints what it had after the
 * first answer, after the records changed, and while the name failed.
 */
import { parseAgentConfig } from '../../../src/config/agent/load.js';
import { LogTargetDiscovery, type LogTarget } from '../../../src/pipelines/logs/targets.js';
import { compileRelabelConfigs } from '../../../src/process/relabel/index.js';
import { startDnsStandIn } from '../../helpers/dns-server.js';

const YAML = `logs:
  positions_directory: ${process.argv[2]!}
  configs:
    - name: dns
      clients: [{ url: "http://127.0.0.1:1/loki/api/v1/push" }]
      scrape_configs:
        - job_name: hosts
          dns_sd_configs: [{ names: [logs.sd.test], type: A, port: 514, refresh_interval: 200ms }]
          relabel_configs:
            - source_labels: [__address__]
              regex: '(.*):514'
              target_label: __path__
              replacement: /var/log/remote/$1.log
            - source_labels: [__meta_dns_name]
              target_label: dns_name
`;

type Seen = { path: string; labels: Readonly<Record<string, string>> }[];

async function main(): Promise<void> {
  const dns = await startDnsStandIn({ 'logs.sd.test': { A: ['10.0.0.1', '10.0.0.2'] } }, 53);
  const job = parseAgentConfig(YAML, 'agent.yaml').config.logs[0]!.jobs[0]!;
  let latest: readonly LogTarget[] = [];
  const logs: string[] = [];
  const discovery = new LogTargetDiscovery({
    job: job.file,
    path: job.path,
    rules: compileRelabelConfigs(job.file.relabel_configs, `${job.path}.relabel_configs`),
    log: (level, message) => logs.push(`${level}: ${message}`),
    onTargets: (targets) => (latest = targets),
  });
  const snapshot = (): Seen =>
    latest
      .map((t) => ({ path: t.path, labels: t.labels }))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
  const until = async (check: (s: Seen) => boolean): Promise<Seen> => {
    const deadline = Date.now() + 3000;
    while (!check(snapshot()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return snapshot();
  };
  discovery.start();
  const first = await until((s) => s.length === 2);
  dns.setZone({ 'logs.sd.test': { A: ['10.0.0.3'] } });
  const changed = await until((s) => s.length === 1);
  dns.setZone({ 'logs.sd.test': { fail: true } });
  await new Promise((r) => setTimeout(r, 700));
  const failing = snapshot();
  await discovery.stop();
  await dns.close();
  process.stdout.write(JSON.stringify({ first, changed, failing, logs }));
}

await main();
