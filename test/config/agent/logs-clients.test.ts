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
