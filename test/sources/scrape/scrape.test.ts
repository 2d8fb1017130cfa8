import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAgentConfig } from '../../../src/config/agent/load.js';
import { formatSeries, labelsKey, type Labels } from '../../../src/model/labels.js';
import { isStaleAt, SeriesTable, type SampleBatch } from '../../../src/model/series.js';
import type { SampleAppender } from '../../../src/sources/scrape/appender.js';
import { ScrapeManager } from '../../../src/sources/scrape/manager.js';
import { tempDir, waitFor } from '../../agent/harness.js';

/** Keeps every sample, by series text, so a test can read exactly what a scrape appended. */
class Recorder implements SampleAppender {
  readonly table = new SeriesTable();
  readonly samples: { series: string; value: number; stale: boolean; t: number }[] = [];
  series(labels: Labels): number {
    return this.table.idOf(labelsKey(labels)) ?? this.table.create(labels).id;
  }
  append(batch: SampleBatch): void {
    for (let i = 0; i < batch.count; i++) {
      const s = this.table.get(batch.ids[i]!)!;
      this.samples.push({
        series: formatSeries(s.labels),
        value: batch.values[i]!,
        stale: isStaleAt(batch.values, i),
        t: batch.timestamps[i]!,
      });
    }
  }
  latest(series: string): { value: number; stale: boolean } | undefined {
    return this.samples.filter((s) => s.series === series).at(-1);
  }
}

interface Page {
  body: string | Buffer;
  type: string;
  gzip?: boolean;
}
let server: Server;
let address = '';
const pages = new Map<string, Page>();
const seen: { path: string; accept: string; auth: string }[] = [];
before(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    seen.push({
      path: req.url ?? '',
      accept: String(req.headers.accept),
      auth: String(req.headers.authorization ?? ''),
    });
    const page = pages.get(path);
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    const gz = page.gzip && String(req.headers['accept-encoding']).includes('gzip');
    res.writeHead(200, {
      'content-type': page.type,
      ...(gz ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(gz ? gzipSync(page.body) : page.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

function manager(yaml: string, appender: SampleAppender): ScrapeManager {
  const { config } = parseAgentConfig(yaml, 'scrape.yaml');
  return new ScrapeManager({
    instance: config.instances[0]!,
    appender,
    awsClientFor: () => undefined,
    userAgent: 'Signet/test',
    log: () => undefined,
  });
}

describe('scraping', () => {
  test('OpenMetrics with gzip, basic auth, params, honor_labels off, staleness when a series goes', async () => {
    pages.set('/om', {
      type: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
      gzip: true,
      body: '# TYPE jobs counter\njobs_total{job="exported",kind="a"} 3\njobs_total{kind="b"} 4 1700000000.5\n# EOF\n',
    });
    const rec = new Recorder();
    const m = manager(
      `metrics:\n  configs:\n    - name: t\n      scrape_configs:\n        - job_name: om\n          scrape_interval: 100ms\n          scrape_timeout: 100ms\n          metrics_path: /om\n          params: { module: [x] }\n          basic_auth: { username: u, password: p }\n          static_configs: [{ targets: ['${address}'] }]\n`,
      rec,
    );
    m.start();
    try {
      await waitFor('first scrape', () => rec.latest(`up{instance="${address}", job="om"}`));
      const req = seen.find((s) => s.path.startsWith('/om'))!;
      assert.equal(req.path, '/om?module=x');
      assert.match(req.accept, /^application\/openmetrics-text;version=1\.0\.0/);
      assert.equal(req.auth, `Basic ${Buffer.from('u:p').toString('base64')}`);
      assert.equal(
        rec.latest(`jobs_total{exported_job="exported", instance="${address}", job="om", kind="a"}`)
          ?.value,
        3,
      );
      const b = rec.samples.find((s) => s.series.includes('kind="b"'));
      assert.equal(b?.t, 1_700_000_000_500, 'honor_timestamps: the OpenMetrics timestamp, in ms');
      assert.equal(rec.latest(`up{instance="${address}", job="om"}`)?.value, 1);
      assert.equal(rec.latest(`scrape_samples_scraped{instance="${address}", job="om"}`)?.value, 2);
      pages.set('/om', {
        type: 'application/openmetrics-text; version=1.0.0',
        body: 'jobs_total{kind="b"} 5\n# EOF\n',
      });
      await waitFor(
        'the staleness marker',
        () =>
          rec.latest(
            `jobs_total{exported_job="exported", instance="${address}", job="om", kind="a"}`,
          )?.stale || undefined,
      );
    } finally {
      await m.stop();
    }
    assert.equal(
      rec.latest(`jobs_total{instance="${address}", job="om", kind="b"}`)?.stale,
      true,
      'a stopped target marks its series stale',
    );
  });

  test('a malformed page: up 0 with the error and its line; sample_limit fails the scrape', async () => {
    pages.set('/bad', {
      type: 'text/plain; version=0.0.4',
      body: 'ok_metric 1\nbad_metric{a="1" 2\n',
    });
    pages.set('/many', {
      type: 'text/plain; version=0.0.4',
      body: 'm{i="1"} 1\nm{i="2"} 2\nm{i="3"} 3\n',
    });
    const rec = new Recorder();
    const m = manager(
      `metrics:\n  configs:\n    - name: t\n      scrape_configs:\n        - { job_name: bad, scrape_interval: 100ms, scrape_timeout: 100ms, metrics_path: /bad, static_configs: [{ targets: ['${address}'] }] }\n        - { job_name: many, scrape_interval: 100ms, scrape_timeout: 100ms, metrics_path: /many, sample_limit: 2, static_configs: [{ targets: ['${address}'] }] }\n`,
      rec,
    );
    m.start();
    try {
      await waitFor('both scraped', () =>
        m.targets().every((t) => t.health !== 'unknown') ? true : undefined,
      );
      const targets = m.targets();
      assert.match(targets.find((t) => t.job === 'bad')!.lastError, /^line 2:/);
      assert.match(
        targets.find((t) => t.job === 'many')!.lastError,
        /sample limit exceeded \(limit: 2\)/,
      );
      assert.equal(rec.latest(`up{instance="${address}", job="bad"}`)?.value, 0);
      assert.equal(
        rec.samples.some((s) => s.series.startsWith('ok_metric')),
        false,
        'a failed scrape is discarded whole',
      );
    } finally {
      await m.stop();
    }
  });

  test('file_sd_configs: targets from JSON and YAML files, reloaded when a file is replaced; relabel_configs and hashmod', async () => {
    pages.set('/metrics', { type: 'text/plain', body: 'hello 1\n' });
    const dir = tempDir('signet-filesd-');
    await writeFile(
      join(dir.path, 'a.json'),
      JSON.stringify([{ targets: [address], labels: { env: 'prod' } }]),
    );
    const rec = new Recorder();
    const m = manager(
      `metrics:
  configs:
    - name: t
      scrape_configs:
        - job_name: files
          scrape_interval: 100ms
          scrape_timeout: 100ms
          file_sd_configs: [{ files: ['${dir.path}/*.json', '${dir.path}/*.yml'], refresh_interval: 1h }]
          relabel_configs:
            - { source_labels: [env], target_label: environment }
            - { source_labels: [__address__], modulus: 1, target_label: __tmp_shard, action: hashmod }
            - { source_labels: [__tmp_shard], regex: '0', action: keep }
`,
      rec,
    );
    m.start();
    try {
      await waitFor('the JSON target', () =>
        rec.latest(`hello{env="prod", environment="prod", instance="${address}", job="files"}`),
      );
      const staged = join(dir.path, 'staged.tmp');
      await writeFile(staged, `- targets: ['${address}']\n  labels: { env: staging }\n`);
      await rename(staged, join(dir.path, 'b.yml'));
      await waitFor('the YAML target', () =>
        rec.latest(
          `hello{env="staging", environment="staging", instance="${address}", job="files"}`,
        ),
      );
      assert.equal(m.targets().length, 2);
    } finally {
      await m.stop();
      dir.remove();
    }
  });
});
