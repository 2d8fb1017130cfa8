import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAgentConfig } from '../../../src/config/agent/load.js';
import { ConfigFileError } from '../../../src/config/yaml/config-error.js';

function load(clients: string) {
  return parseAgentConfig(
    `logs:
  positions_directory: /tmp/positions
  configs:
  - name: default
    clients:
${clients}
`,
    'agent.yaml',
  );
}

function problems(clients: string): string[] {
  try {
    load(clients);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigFileError);
    return error.problems.map((p) => `${p.line}:${p.keyPath}: ${p.message}`);
  }
}

describe('logs clients: where each sends', () => {
  test('the guides’ forms: cwlogs://, the cloudwatch_logs block, s3://, firehose, kinesis', () => {
    const { config } = load(`    - url: cwlogs://eu-west-1/apps/web
      aws_auth: { region: eu-west-1 }
    - cloudwatch_logs: { log_group_name: apps/api, region: us-east-1 }
    - url: s3://log-archive/agents/node-a
    - firehose: { delivery_stream_name: logs }
    - kinesis: { stream_name: logs }
    - url: http://loki:3100/loki/api/v1/push`);
    const clients = config.logs[0]!.clients;
    assert.deepEqual(
      clients.map((c) => c.name),
      [
        'cwlogs://eu-west-1/apps/web',
        'cwlogs://us-east-1/apps/api',
        's3://log-archive/agents/node-a',
        'firehose/logs',
        'kinesis/logs',
        'loki:3100/loki/api/v1/push',
      ],
    );
    assert.deepEqual(clients[0]!.cloudwatchLogs, { region: 'eu-west-1', logGroupName: 'apps/web' });
    assert.deepEqual(clients[2]!.s3, { bucket: 'log-archive', prefix: 'agents/node-a' });
  });

  test('a client with no group, two destinations, or nowhere to send is refused at its place', () => {
    assert.deepEqual(
      problems(`    - url: cwlogs://us-east-1/
    - url: s3://x/y
      firehose: { delivery_stream_name: d }
    - batchwait: 1s
    - url: ftp://example.com/push`),
      [
        '6:logs.configs[0].clients[0].url: names no log group',
        '7:logs.configs[0].clients[1]: sets s3 and firehose; a client sends to one place',
        '9:logs.configs[0].clients[2]: says nowhere to send: no url, cloudwatch_logs, firehose, kinesis or s3',
        "10:logs.configs[0].clients[3].url: 'ftp://example.com/push' is not a Loki push URL (http:// or https://), cwlogs:// or s3://",
      ],
    );
    assert.deepEqual(
      problems(
        `    - kinesis: { stream_name: a, stream_arn: 'arn:aws:kinesis:us-east-1:123456789012:stream/a' }`,
      ),
      ['6:logs.configs[0].clients[0].kinesis: needs exactly one of stream_name and stream_arn'],
    );
  });
});

/** One logs config named `app` whose body (clients, targets, wal_config…) is `body`. */
function loadConfig(body: string, top = 'positions_directory: /var/lib/signet/positions') {
  return parseAgentConfig(
    `logs:
  ${top}
  configs:
    - name: app
${body}
`,
    'agent.yaml',
  );
}

function configProblems(body: string, allowUnimplemented = false): string[] {
  try {
    const text = `logs:
  positions_directory: /p
  configs:
    - name: app
${body}
`;
    parseAgentConfig(text, 'agent.yaml', { allowUnimplemented });
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigFileError);
    return error.problems.map((p) => `${p.line}:${p.column}:${p.keyPath}: ${p.message}`);
  }
}

describe('logs targets[].loki_push_api.cloudwatch_logs', () => {
  test('is the same client as a cloudwatch_logs block, named by client_id', () => {
    const block = `region: eu-west-1
              log_group_name: /app/logs
              log_stream_name: '{{ .host }}'
              log_stream_name_prefix: node-a/
              create_log_group: false
              log_group_class: INFREQUENT_ACCESS
              retention_in_days: 7
              log_format: json
              endpoint: http://127.0.0.1:4579`;
    const target = loadConfig(`      targets:
        - loki_push_api:
            sigv4: { region: eu-west-1, profile: logs }
            cloudwatch_logs:
              client_id: app-to-cwl
              ${block}`).config.logs[0]!.clients;
    const client = loadConfig(`      clients:
        - name: app-to-cwl
          sigv4: { region: eu-west-1, profile: logs }
          cloudwatch_logs:
              ${block}`).config.logs[0]!.clients;
    assert.equal(target.length, 1);
    const [t, c] = [target[0]!, client[0]!];
    assert.equal(t.name, 'app-to-cwl');
    assert.equal(t.path, 'logs.configs[0].targets[0].loki_push_api');
    assert.deepEqual(t.file, c.file);
    assert.deepEqual(t.cloudwatchLogs, c.cloudwatchLogs);
    assert.deepEqual(t.aws, c.aws);
    assert.equal(t.aws?.spec.profile, 'logs');
  });

  test('targets are the config’s own clients, after clients[], with names unique among them', () => {
    const { config } = loadConfig(`      clients:
        - url: http://loki:3100/loki/api/v1/push
      targets:
        - loki_push_api:
            aws_auth: { region: eu-west-1 }
            cloudwatch_logs: { log_group_name: /app/logs }`);
    assert.deepEqual(
      config.logs[0]!.clients.map((c) => c.name),
      ['loki:3100/loki/api/v1/push', 'cwlogs://-//app/logs'],
    );
    assert.deepEqual(
      configProblems(`      clients: [{ name: app-to-cwl, url: 'http://loki:3100/push' }]
      targets:
        - loki_push_api:
            cloudwatch_logs: { client_id: app-to-cwl, log_group_name: g, region: eu-west-1 }`),
      [
        "8:43:logs.configs[0].targets[0].loki_push_api.cloudwatch_logs.client_id: repeats the client 'app-to-cwl'",
      ],
    );
  });

  test('Promtail’s push receiver keys are refused as not implemented, other keys as unknown', () => {
    const receiver = `      targets:
        - loki_push_api:
            server: { http_listen_port: 3500 }
            labels: { pushserver: push1 }
            use_incoming_timestamp: true`;
    const refused = configProblems(receiver);
    assert.deepEqual(
      refused.map((p) => p.split(': ')[0]),
      [
        '4:7:logs.configs[0].clients',
        '7:13:logs.configs[0].targets[0].loki_push_api.server',
        '8:13:logs.configs[0].targets[0].loki_push_api.labels',
        '9:13:logs.configs[0].targets[0].loki_push_api.use_incoming_timestamp',
      ],
    );
    assert.match(refused[1]!, /does not implement server: no Loki push API receiver would listen/);
    // Allowed, the receiver is left out; with nothing else to send to, the config has no client.
    assert.deepEqual(configProblems(receiver, true), [
      '4:7:logs.configs[0].clients: has no clients (nor a target with cloudwatch_logs), and logs.global.clients has none either: no line would be sent',
    ]);
    assert.deepEqual(
      configProblems(`      targets:
        - loki_push_api:
            cloudwatch_logs: { log_group_name: g, region: eu-west-1 }
            batchwait: 1s
        - loki_push_api: {}`),
      ["8:13:logs.configs[0].targets[0].loki_push_api.batchwait: unknown key 'batchwait'"],
    );
    assert.deepEqual(
      configProblems(`      clients: [{ url: 'http://loki:3100/push' }]
      targets:
        - loki_push_api: {}
        - loki_push_api:
            cloudwatch_logs: { client_id: x, region: eu-west-1 }`),
      [
        '7:11:logs.configs[0].targets[0].loki_push_api: has no cloudwatch_logs block, so nothing would be sent',
        '9:13:logs.configs[0].targets[1].loki_push_api.cloudwatch_logs: names no log group',
      ],
    );
  });
});

describe('the logs WAL by default', () => {
  const cw = `      clients: [{ url: 'cwlogs://eu-west-1/app' }]`;
  test('on for a config with an AWS client, at <positions_directory>/wal/<name>', () => {
    for (const client of [
      cw,
      `      clients: [{ url: 's3://bucket/prefix' }]`,
      `      clients: [{ firehose: { delivery_stream_name: d } }]`,
      `      clients: [{ kinesis: { stream_name: s } }]`,
      `      targets: [{ loki_push_api: { cloudwatch_logs: { log_group_name: g } } }]`,
      `      clients: [{ url: 'http://loki:3100/push' }, { url: 's3://bucket/prefix' }]`,
    ])
      assert.equal(
        loadConfig(client).config.logs[0]!.walDirectory,
        '/var/lib/signet/positions/wal/app',
        client,
      );
  });

  test('global AWS clients count; wal_config still decides; Loki-only configs have none', () => {
    const global = parseAgentConfig(
      `logs:
  positions_directory: /p
  global: { clients: [{ url: 's3://bucket/prefix' }] }
  configs: [{ name: a }, { name: b, clients: [{ url: 'http://loki:3100/push' }] }]
`,
      'agent.yaml',
    ).config.logs;
    assert.deepEqual(
      global.map((l) => l.walDirectory),
      ['/p/wal/a', undefined],
    );
    const wal = (w: string) => loadConfig(`${cw}\n      wal_config: ${w}`).config.logs[0]!;
    assert.equal(wal('{ enabled: false }').walDirectory, undefined);
    assert.equal(wal('{ dir: /data/wal }').walDirectory, '/data/wal');
    assert.equal(wal('{}').walDirectory, '/var/lib/signet/positions/wal/app');
    const loki = `      clients: [{ url: 'http://loki:3100/push' }]`;
    assert.equal(loadConfig(loki).config.logs[0]!.walDirectory, undefined);
    assert.equal(
      loadConfig(`${loki}\n      wal_config: { enabled: true }`).config.logs[0]!.walDirectory,
      '/var/lib/signet/positions/wal/app',
    );
  });

  test('without positions_directory, in the agent’s data directory (metrics.wal_directory)', () => {
    const body = `${cw}\n      positions: { filename: /p/app.yml }`;
    assert.equal(loadConfig(body, '').config.logs[0]!.walDirectory, 'data-agent/logs-wal/app');
    const moved = parseAgentConfig(
      `metrics: { wal_directory: /var/lib/signet/data }
logs:
  configs:
    - name: app
${body}
`,
      'agent.yaml',
    ).config.logs[0]!;
    assert.equal(moved.walDirectory, '/var/lib/signet/data/logs-wal/app');
  });

  test('two configs may not share a logs WAL', () => {
    assert.deepEqual(
      configProblems(`${cw}
      wal_config: { dir: /p/wal/other }
    - name: other
${cw}`),
      ["7:7:logs.configs[1].name: '/p/wal/other' is also the logs WAL of logs.configs[0]"],
    );
  });
});
