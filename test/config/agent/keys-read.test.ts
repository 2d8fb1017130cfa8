/**
 * Every configuration key does what it says or is refused: a key the schema
 * accepts (and does not mark not-implemented) must be read by code outside
 * src/config, or be listed below with the test that proves what it does.
 * A key added to the schema and wired to nothing fails here.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentFileSchema } from '../../../src/config/agent/schema.js';
import { schemaLeaves } from '../../../src/config/agent/schema-walk.js';

/** The checkout: this file runs as dist/test/config/agent/keys-read.test.js. */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Keys consumed inside src/config (turned into AgentConfig fields there), and
 * keys whose names are everyday words (`url`, `type`, `name`) that a search
 * of the source cannot tell from unrelated properties: each with a test
 * file under test/ and a test name in it that shows the key at work.
 */
const RW_HTTP = 'test/pipelines/metrics/remote-write-http.test.ts';
const E2E = 'test/agent/e2e.test.ts';
const SCRAPE = 'test/sources/scrape/scrape.test.ts';
const SIGNED_SCRAPE = 'test/sources/scrape/signed.test.ts';
const LOAD = 'test/config/agent/load.test.ts';
const LOGS = 'test/pipelines/logs/e2e.test.ts';
const LOGS_TAILED = 'files are tailed with their labels';
const CWLOGS = 'test/pipelines/logs/cloudwatch-logs.test.ts';
const STREAMS = 'test/pipelines/logs/aws-streams.test.ts';
const GUIDES = 'test/pipelines/logs/guides.test.ts';
const GUIDE_TARGET = '(b) targets[].loki_push_api.cloudwatch_logs with client_id and wal_config';
const TARGET_IS_CLIENT = [
  'test/config/agent/logs-clients.test.ts',
  'is the same client as a cloudwatch_logs block, named by client_id',
] as const;
const PUSH = 'logs.configs[].targets[].loki_push_api';

const PROVEN_BY: Readonly<Record<string, readonly [file: string, testName: string]>> = {
  // Read in src/config/agent/load.ts, into AgentConfig.
  'metrics.wal_directory': [LOAD, 'the guide set-up loads'],
  'metrics.wal_dir': [LOAD, 'wal_dir is accepted as the other spelling'],
  'metrics.global.scrape_interval': [LOAD, 'the guide set-up loads'],
  'metrics.global.scrape_timeout': [LOAD, 'the guide set-up loads'],
  'metrics.configs[].scrape_configs[].scrape_interval': [SCRAPE, 'OpenMetrics with gzip'],
  'metrics.configs[].scrape_configs[].scrape_timeout': [SCRAPE, 'OpenMetrics with gzip'],
  'metrics.global.remote_write[].sigv4': [E2E, 'remote-writes signed to two regions'],
  'metrics.global.remote_write[].aws_auth': [
    E2E,
    'the two AMP set-ups of the Grafana Agent guides',
  ],
  'metrics.global.remote_write[].authorization.sigv4': [
    LOAD,
    'authorization: { sigv4: … } is taken as sigv4',
  ],
  'metrics.configs[].scrape_configs[].sigv4': [
    SIGNED_SCRAPE,
    'sigv4 and aws_auth on a scrape_config',
  ],
  'metrics.configs[].scrape_configs[].aws_auth': [
    SIGNED_SCRAPE,
    'sigv4 and aws_auth on a scrape_config',
  ],
  'metrics.configs[].host_filter': [
    'test/agent/host-filter.test.ts',
    'keeps the targets on this host',
  ],
  // Everyday words.
  'metrics.configs[].name': [
    'test/pipelines/metrics/wal-cleanup-period.test.ts',
    'a short period truncates',
  ],
  'metrics.global.remote_write[].url': [E2E, 'remote-writes signed to two regions'],
  'metrics.global.remote_write[].name': [E2E, 'remote-writes signed to two regions'],
  'metrics.global.remote_write[].headers': [RW_HTTP, 'basic_auth and headers arrive'],
  'metrics.global.remote_write[].basic_auth.username': [RW_HTTP, 'basic_auth and headers arrive'],
  'metrics.global.remote_write[].basic_auth.password': [RW_HTTP, 'basic_auth and headers arrive'],
  'metrics.global.remote_write[].authorization.type': [RW_HTTP, 'authorization type Token'],
  'metrics.global.remote_write[].authorization.credentials': [RW_HTTP, 'authorization type Token'],
  'metrics.global.remote_write[].tls_config.ca': [RW_HTTP, 'or an inline ca'],
  'metrics.global.remote_write[].queue_config.capacity': [
    'test/sinks/remote-write/queue-progress.test.ts',
    'a batch larger than the capacity',
  ],
  'metrics.global.remote_write[].metadata_config.send': [
    'test/agent/metadata.test.ts',
    'send: false sends none',
  ],
  'metrics.configs[].scrape_configs[].params': [SCRAPE, 'basic auth, params'],
  'metrics.configs[].scrape_configs[].scheme': [
    'test/sources/scrape/proxy-tls.test.ts',
    'https target with a self-signed certificate',
  ],
  'metrics.configs[].scrape_configs[].static_configs[].targets': [
    E2E,
    'remote-writes signed to two regions',
  ],
  'metrics.configs[].scrape_configs[].static_configs[].labels': [
    E2E,
    'remote-writes signed to two regions',
  ],
  'metrics.configs[].scrape_configs[].file_sd_configs[].files': [
    SCRAPE,
    'file_sd_configs: targets from JSON and YAML files',
  ],
  // Logs: read in src/config/agent/logs-load.ts into LogsInstance, or everyday words.
  'logs.positions_directory': [LOGS, LOGS_TAILED],
  'logs.configs[].name': [LOGS, LOGS_TAILED],
  'logs.configs[].positions.filename': [LOGS, 'encoding and decompression'],
  'logs.global.clients[].url': [LOGS, 'without a WAL'],
  'logs.global.clients[].name': [LOGS, LOGS_TAILED],
  'logs.global.clients[].batchwait': [LOGS, LOGS_TAILED],
  'logs.global.clients[].batchsize': [LOGS, LOGS_TAILED],
  'logs.global.clients[].headers': [LOGS, LOGS_TAILED],
  'logs.global.clients[].timeout': [LOGS, LOGS_TAILED],
  'logs.global.clients[].sigv4': [LOGS, 'a client with sigv4 signs every push'],
  'logs.global.clients[].aws_auth': [LOGS, 'a client with sigv4 signs every push'],
  'logs.global.file_watch_config.min_poll_frequency': [LOGS, 'without a WAL'],
  'logs.global.file_watch_config.max_poll_frequency': [LOGS, 'without a WAL'],
  'logs.configs[].scrape_configs[].encoding': [LOGS, 'encoding and decompression'],
  'logs.configs[].scrape_configs[].decompression.enabled': [LOGS, 'encoding and decompression'],
  'logs.configs[].scrape_configs[].decompression.format': [LOGS, 'encoding and decompression'],
  'logs.configs[].wal_config.enabled': [LOGS, 'with wal_config'],
  'logs.configs[].wal_config.dir': [LOGS, 'with wal_config'],
  'logs.global.clients[].cloudwatch_logs.region': [CWLOGS, 'the cloudwatch_logs block'],
  'logs.global.clients[].cloudwatch_logs.log_group_name': [CWLOGS, 'the cloudwatch_logs block'],
  'logs.global.clients[].cloudwatch_logs.endpoint': [CWLOGS, 'the cloudwatch_logs block'],
  'logs.global.clients[].firehose.region': [STREAMS, 'firehose: delivery_stream_name'],
  'logs.global.clients[].firehose.endpoint': [STREAMS, 'firehose: delivery_stream_name'],
  'logs.global.clients[].firehose.newline': [STREAMS, 'firehose: delivery_stream_name'],
  'logs.global.clients[].firehose.aggregate': [
    'test/sinks/firehose/delivery.test.ts',
    'aggregate packs many entries into few records',
  ],
  'logs.global.clients[].firehose.oversized': [
    'test/sinks/firehose/limits.test.ts',
    'oversized: truncate keeps the first piece',
  ],
  'logs.global.clients[].s3.bucket': [STREAMS, 's3: bucket and prefix'],
  'logs.global.clients[].s3.prefix': [STREAMS, 's3: bucket and prefix'],
  'logs.global.clients[].s3.compression': [STREAMS, 's3: bucket and prefix'],
  'logs.global.clients[].s3.format': [STREAMS, 's3: bucket and prefix'],
  'logs.global.clients[].s3.region': [STREAMS, 's3: bucket and prefix'],
  'logs.global.clients[].s3.endpoint': [STREAMS, 's3: bucket and prefix'],
  'logs.global.clients[].s3.addressing': [STREAMS, 's3: bucket and prefix'],
  'logs.global.clients[].s3.sse': [
    'test/sinks/s3/delivery.test.ts',
    'sse, kms_key_id, storage_class and content_md5 are sent and stored',
  ],
  'logs.global.clients[].kinesis.region': [STREAMS, 'kinesis: stream_name'],
  'logs.global.clients[].kinesis.endpoint': [STREAMS, 'kinesis: stream_name'],
  'logs.global.clients[].kinesis.newline': [STREAMS, 'kinesis: stream_name'],
  'logs.global.clients[].kinesis.aggregate': [
    'test/sinks/kinesis/delivery.test.ts',
    'aggregate packs entries of one key',
  ],
  'logs.global.clients[].kinesis.oversized': [
    'test/sinks/firehose/limits.test.ts',
    'oversized: truncate keeps the first piece',
  ],
  // The guides' target form: made into the client it means in logs-load.ts.
  [`${PUSH}.cloudwatch_logs.region`]: [GUIDES, GUIDE_TARGET],
  [`${PUSH}.cloudwatch_logs.log_group_name`]: [GUIDES, GUIDE_TARGET],
  [`${PUSH}.cloudwatch_logs.client_id`]: [GUIDES, GUIDE_TARGET],
  [`${PUSH}.cloudwatch_logs.endpoint`]: TARGET_IS_CLIENT,
  [`${PUSH}.sigv4`]: TARGET_IS_CLIENT,
  ...kubernetesSdProofs('metrics.configs[].scrape_configs[].kubernetes_sd_configs[]'),
  ...polledSdProofs('metrics.configs[].scrape_configs[]'),
};

/** The plain-word keys of dns_sd_configs and http_sd_configs entries: run side by side with Prometheus. */
function polledSdProofs(at: string): Record<string, readonly [string, string]> {
  const PARITY = 'test/sources/discovery/parity.test.ts';
  const compared = 'discovered labels equal those of Prometheus, through three phases of answers';
  return {
    [`${at}.dns_sd_configs[].names`]: [PARITY, compared],
    [`${at}.dns_sd_configs[].type`]: [PARITY, compared],
    [`${at}.dns_sd_configs[].port`]: [PARITY, compared],
    [`${at}.http_sd_configs[].url`]: [PARITY, compared],
  };
}

/** The plain-word keys of a kubernetes_sd_configs entry, wherever the entry sits. */
function kubernetesSdProofs(at: string): Record<string, readonly [string, string]> {
  const SD = 'test/sources/scrape/kubernetes-sd.test.ts';
  const POD = 'test/sources/discovery/kubernetes/pod-discovery.test.ts';
  const CONN = 'test/sources/discovery/kubernetes/connection.test.ts';
  const scraped = 'a pod discovered through the API is scraped';
  return {
    [`${at}.role`]: [SD, scraped],
    [`${at}.namespaces.names`]: [POD, 'pods added, changed and removed through the watch'],
    [`${at}.selectors[].role`]: [SD, scraped],
    [`${at}.selectors[].label`]: [POD, 'selectors: field spec.nodeName restricts to this node'],
    [`${at}.selectors[].field`]: [POD, 'selectors: field spec.nodeName restricts to this node'],
    [`${at}.basic_auth.username`]: [SD, 'api_server with basic_auth'],
    [`${at}.basic_auth.password`]: [SD, 'api_server with basic_auth'],
    [`${at}.authorization.type`]: [SD, scraped],
    [`${at}.authorization.credentials`]: [SD, scraped],
    [`${at}.tls_config.ca`]: [CONN, 'or an inline tls_config.ca'],
  };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The source outside src/config, where a key is put to use rather than validated. */
const CODE = sourceFiles(join(ROOT, 'src'))
  .filter((f) => !relative(join(ROOT, 'src'), f).startsWith('config'))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

function readInCode(key: string): boolean {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\.${escaped}\\b|\\[['"]${escaped}['"]\\]`).test(CODE);
}

/** snake_case names are specific enough to search for; plain words are not. */
const searchable = (key: string): boolean => key.includes('_');

describe('configuration keys', () => {
  const leaves = schemaLeaves(agentFileSchema);

  test('the schema walk finds the keys (a sanity check of the walk itself)', () => {
    const paths = leaves.map((l) => l.path);
    assert.ok(paths.includes('metrics.configs[].scrape_configs[].job_name'), paths.join('\n'));
    assert.ok(paths.includes('metrics.global.remote_write[].tls_config.ca_file'));
    assert.ok(paths.includes('metrics.global.remote_write[].queue_config.max_shards'));
    assert.ok(leaves.some((l) => l.path === 'traces' && l.notImplemented));
  });

  test('every implemented key is read by code outside src/config or proven by a listed test', () => {
    const unread = leaves
      .filter((l) => !l.notImplemented && !(l.path in PROVEN_BY))
      .filter((l) => !searchable(l.key) || !readInCode(l.key))
      .map((l) => l.path);
    assert.deepEqual(
      unread,
      [],
      'these keys are accepted but nothing shows they do anything: implement them, mark them ' +
        'notImplemented in src/config/agent/schema.ts, or list the test that proves them in PROVEN_BY',
    );
  });

  test('each listed test exists and names the test it points at', () => {
    const paths = new Set(leaves.map((l) => l.path));
    for (const [path, [file, name]] of Object.entries(PROVEN_BY)) {
      assert.ok(paths.has(path), `${path} is listed but is not a key of the schema`);
      const full = join(ROOT, file);
      assert.ok(existsSync(full), `${path}: ${file} does not exist`);
      const names = [
        ...readFileSync(full, 'utf8').matchAll(/\btest\(\s*(['"`])((?:(?!\1).)*)\1/g),
      ].map((m) => m[2]!);
      assert.ok(
        names.some((n) => n.includes(name)),
        `${path}: ${file} has no test whose name contains '${name}'`,
      );
    }
  });
});
