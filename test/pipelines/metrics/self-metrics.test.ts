import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from '../../../src/agent/agent.js';
import { loadAgentConfig } from '../../../src/config/agent/load.js';
import { Receiver } from '../../sinks/remote-write/receiver.js';
import {
  acceptedValues,
  counterTarget,
  LogCapture,
  metricsPipelines,
  tempDir,
  waitFor,
  type TestTarget,
} from '../../agent/harness.js';
import { parseExposition, sampleKey, type Exposition } from './exposition.js';

const PROMTOOL = '/usr/bin/promtool';

function agentYaml(dir: string, targets: readonly TestTarget[], receiver: Receiver): string {
  return `server: { log_level: warn, http_listen_port: 0 }
metrics:
  wal_directory: ${join(dir, 'wal')}
  global: { scrape_interval: 100ms, scrape_timeout: 100ms }
  configs:
    - name: one
      scrape_configs:
        - job_name: counted
          static_configs: [{ targets: [${targets.map((t) => `'${t.address}'`).join(', ')}] }]
        - job_name: limited
          sample_limit: 1
          static_configs: [{ targets: ['${targets[0]!.address}'] }]
        - job_name: too-big
          body_size_limit: 10B
          static_configs: [{ targets: ['${targets[0]!.address}'] }]
        - job_name: from-files
          file_sd_configs: [{ files: ['${join(dir, 'targets.json')}'], refresh_interval: 100ms }]
      remote_write:
        - name: rx
          url: ${receiver.url}
          queue_config:
            batch_send_deadline: 50ms
            min_backoff: 10ms
            max_backoff: 50ms
            capacity: 1234
            min_shards: 2
            max_shards: 7
            max_samples_per_send: 321
`;
}

async function scrapeMetrics(agent: Agent): Promise<{ text: string; parsed: Exposition }> {
  const res = await fetch(`${agent.server.url}/metrics`);
  assert.equal(res.status, 200);
  const text = await res.text();
  return { text, parsed: parseExposition(text) };
}

/** The WAL's newest segment number and the bytes of all its segments, from the directory. */
function walOnDisk(walDir: string): { segment: number; bytes: number } {
  const segments = readdirSync(walDir).filter((n) => /^\d+\.wal$/.test(n));
  return {
    segment: Math.max(...segments.map((n) => Number(n.slice(0, -4)))),
    bytes: segments.reduce((n, s) => n + statSync(join(walDir, s)).size, 0),
  };
}

/**
 * Promtail's own gauges whose names end in `_total`: kept as Promtail names
 * them, so its dashboards read Signet, although promtool's lint (and
 * Prometheus's naming rules) would have them without the suffix.
 */
const PROMTAIL_TOTAL_GAUGES = [
  'promtail_files_active_total',
  'promtail_targets_active_total',
  'promtail_file_bytes_total',
];

/** promtool's verdict on an exposition: its exit status and what it printed, Promtail's gauges aside. */
function promtoolCheck(text: string): { status: number | null; output: string } {
  const run = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  const lines = `${run.stdout}${run.stderr}`
    .trim()
    .split('\n')
    .filter((l) => l !== '' && !PROMTAIL_TOTAL_GAUGES.some((name) => l.startsWith(`${name} `)));
  // Exit 3 is promtool's "lint problems": none left once Promtail's names are set aside.
  const status = run.status === 3 && lines.length === 0 ? 0 : run.status;
  return { status, output: lines.join('\n') };
}

test('/metrics passes promtool, counters are counters, and a reload that restarts a pipeline sends none back', async (t) => {
  const a = await counterTarget('sm_a_total', 3);
  const b = await counterTarget('sm_b_total');
  const receiver = new Receiver();
  await receiver.start();
  const dir = tempDir('signet-self-metrics-');
  t.after(async () => {
    await Promise.all([a.close(), b.close(), receiver.stop()]);
    dir.remove();
  });
  // A file_sd file that is not JSON: every refresh is a read error.
  writeFileSync(join(dir.path, 'targets.json'), '[{"targets": ');
  const file = join(dir.path, 'agent.yaml');
  writeFileSync(file, agentYaml(dir.path, [a], receiver));
  const loaded = loadAgentConfig(file);
  const agent = await Agent.start(loaded.config, loaded.warnings, {
    logStream: new LogCapture(),
    env: {},
    loadConfig: () => loadAgentConfig(file),
    // Small segments truncated often, for the WAL's metrics.
    segmentBytes: 4096,
    truncateEveryMs: 200,
  });
  try {
    await waitFor('a delivered a few times', () =>
      acceptedValues(receiver, 'sm_a_total').values.size > 5 ? true : undefined,
    );
    await waitFor('a WAL truncation', async () => {
      const { value } = (await scrapeMetrics(agent)).parsed;
      return value('prometheus_tsdb_wal_truncations_total')! > 0 ? true : undefined;
    });
    const before = await scrapeMetrics(agent);

    await t.test('promtool check metrics finds nothing to say', () => {
      assert.ok(existsSync(PROMTOOL), `${PROMTOOL} is missing: apt-get install prometheus`);
      assert.deepEqual(promtoolCheck(before.text), { status: 0, output: '' });
    });

    const { families, value } = before.parsed;
    await t.test('every *_total is a counter', () => {
      const totals = [...families.values()].filter(
        (f) => f.name.endsWith('_total') && !PROMTAIL_TOTAL_GAUGES.includes(f.name),
      );
      assert.ok(totals.length > 20, `only ${totals.length} *_total families`);
      for (const f of totals) assert.equal(f.type, 'counter', f.name);
    });

    await t.test('the values follow what happened', () => {
      const q = { remote_name: 'rx', url: receiver.url };
      assert.ok(value('prometheus_remote_storage_samples_total', q)! > 0);
      assert.ok(value('prometheus_remote_storage_samples_in_total')! > 0);
      assert.ok(value('prometheus_remote_storage_sent_batch_duration_seconds_count', q)! > 0);
      assert.equal(value('prometheus_remote_storage_shards_max', q), 7);
      assert.equal(value('prometheus_remote_storage_shards_min', q), 2);
      assert.equal(value('prometheus_remote_storage_shard_capacity', q), 1234);
      assert.equal(value('prometheus_remote_storage_max_samples_per_send', q), 321);
      assert.equal(value('prometheus_target_scrape_pools_total'), 4);
      assert.equal(value('prometheus_target_scrape_pool_targets', { scrape_job: 'counted' }), 1);
      assert.equal(value('prometheus_target_scrape_pool_targets', { scrape_job: 'from-files' }), 0);
      assert.equal(
        value('prometheus_sd_discovered_targets', { name: 'scrape', config: 'limited' }),
        1,
      );
      assert.ok(value('prometheus_sd_file_read_errors_total')! > 0);
      // a serves 4 series: every scrape of "limited" (sample_limit 1) is refused.
      assert.ok(value('prometheus_target_scrapes_exceeded_sample_limit_total')! > 0);
      // Its pages are larger than too-big's body_size_limit.
      assert.ok(value('prometheus_target_scrapes_exceeded_body_size_limit_total')! > 0);
      assert.ok(value('prometheus_target_scrape_pool_sync_total', { scrape_job: 'counted' })! >= 1);
      assert.ok(
        value('prometheus_target_interval_length_seconds_count', { interval: '100ms' })! > 0,
      );
      const median = value('prometheus_target_interval_length_seconds', {
        interval: '100ms',
        quantile: '0.5',
      });
      assert.ok(median! > 0.05 && median! < 0.5, `median interval ${median}`);
      assert.equal(value('prometheus_agent_corruptions_total'), 0);
      assert.equal(value('prometheus_tsdb_wal_truncations_failed_total'), 0);
      assert.equal(
        value('prometheus_agent_truncate_duration_seconds_count'),
        value('prometheus_tsdb_wal_truncations_total'),
      );
      assert.ok(value('prometheus_agent_samples_appended_total', { type: 'float' })! > 0);
      assert.ok(
        value('prometheus_target_sync_length_seconds_count', { scrape_job: 'counted' })! >= 1,
      );
      assert.equal(value('agent_config_last_load_successful'), 1);
      assert.equal(value('agent_config_load_failures_total'), 0);
      const build = [...(families.get('agent_build_info')?.samples ?? [])];
      assert.equal(build.length, 1);
      assert.equal(build[0]!.labels.nodeversion, process.version);
      assert.match(build[0]!.labels.version ?? '', /^\d+\.\d+\.\d+/);
    });

    await t.test('the WAL metrics say what is on disk', async () => {
      // Read again until no append rolled a segment between /metrics and the listing.
      const seen = await waitFor('/metrics and the disk agreeing', async () => {
        const { value: v } = (await scrapeMetrics(agent)).parsed;
        const disk = walOnDisk(join(dir.path, 'wal', 'one'));
        const metrics = {
          segment: v('prometheus_tsdb_wal_segment_current'),
          bytes: v('prometheus_tsdb_wal_storage_size_bytes'),
        };
        return metrics.segment === disk.segment && metrics.bytes === disk.bytes ? disk : undefined;
      });
      assert.ok(seen.segment > 1, 'segments rolled');
    });

    // "counted" gains target b: the pipeline is restarted, its stats start at 0.
    const old = metricsPipelines(agent)[0];
    writeFileSync(file, agentYaml(dir.path, [a, b], receiver));
    const answer = await fetch(`${agent.server.url}/-/reload`, { method: 'POST' });
    assert.equal(answer.status, 200, await answer.text());
    assert.notEqual(metricsPipelines(agent)[0], old, 'the pipeline was restarted');
    const after = await scrapeMetrics(agent);

    await t.test('no counter, histogram or summary count went back across the restart', () => {
      let compared = 0;
      // Histograms' buckets, sums and counts, and summaries' sums and counts, only grow too.
      const cumulative = (f: { type: string }, name: string): boolean =>
        f.type === 'counter' ||
        (f.type === 'histogram' && /_(bucket|sum|count)$/.test(name)) ||
        (f.type === 'summary' && /_(sum|count)$/.test(name));
      for (const f of families.values()) {
        for (const s of f.samples) {
          if (!cumulative(f, s.name)) continue;
          const now = after.parsed.samples.get(sampleKey(s.name, s.labels));
          assert.ok(now !== undefined, `${sampleKey(s.name, s.labels)} vanished`);
          assert.ok(now >= s.value, `${sampleKey(s.name, s.labels)}: ${s.value} → ${now}`);
          compared++;
        }
      }
      assert.ok(compared > 20, `compared only ${compared} counter samples`);
      // The restarted pipeline created its four pools again.
      assert.equal(after.parsed.value('prometheus_target_scrape_pools_total'), 8);
    });

    await t.test('a refused reload is counted', async () => {
      writeFileSync(file, agentYaml(dir.path, [a], receiver) + '  bogus_key: 1\n');
      const refused = await fetch(`${agent.server.url}/-/reload`, { method: 'POST' });
      assert.equal(refused.status, 400);
      const { value: v } = (await scrapeMetrics(agent)).parsed;
      assert.equal(v('agent_config_last_load_successful'), 0);
      assert.equal(v('agent_config_load_failures_total'), 1);
      assert.ok(
        v('agent_config_last_load_success_timestamp_seconds')! >=
          value('agent_config_last_load_success_timestamp_seconds')!,
      );
    });
  } finally {
    await agent.stop();
  }
});

test('a WAL whose last segment was torn by a crash is counted in prometheus_agent_corruptions_total once repaired', async (t) => {
  const a = await counterTarget('sm_torn_total');
  const receiver = new Receiver();
  await receiver.start();
  const dir = tempDir('signet-self-metrics-torn-');
  t.after(async () => {
    await Promise.all([a.close(), receiver.stop()]);
    dir.remove();
  });
  writeFileSync(join(dir.path, 'targets.json'), '[]');
  const file = join(dir.path, 'agent.yaml');
  writeFileSync(file, agentYaml(dir.path, [a], receiver));
  const start = (): Promise<Agent> => {
    const loaded = loadAgentConfig(file);
    return Agent.start(loaded.config, loaded.warnings, { logStream: new LogCapture(), env: {} });
  };
  const first = await start();
  await waitFor('a scraped', () => (a.scrapes > 3 ? true : undefined));
  await first.stop(0);
  // A crash in the middle of an append leaves the last record short.
  const walDir = join(dir.path, 'wal', 'one');
  const last = readdirSync(walDir)
    .filter((n) => /^\d+\.wal$/.test(n))
    .sort()
    .at(-1)!;
  const size = statSync(join(walDir, last)).size;
  assert.ok(size > 64, `segment ${last} holds ${size} bytes`);
  truncateSync(join(walDir, last), size - 3);

  const second = await start();
  try {
    const { value } = (await scrapeMetrics(second)).parsed;
    assert.equal(value('prometheus_agent_corruptions_total'), 1);
  } finally {
    await second.stop(0);
  }
});
