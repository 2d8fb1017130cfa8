import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandEnv, parseAgentConfig } from '../../../src/config/agent/load.js';
import { ConfigFileError } from '../../../src/config/yaml/config-error.js';

/** The AMP set-up the Grafana Agent guides show, with a cross-account role. */
const GUIDE = `server:
  log_level: info
  http_listen_port: 12345
metrics:
  wal_directory: /tmp/grafana-agent-wal
  global:
    scrape_interval: 15s
    external_labels:
      cluster: prod
  configs:
    - name: integrations
      host_filter: false
      scrape_configs:
        - job_name: node
          static_configs:
            - targets: ['localhost:9100']
              labels: { env: prod }
          metric_relabel_configs:
            - source_labels: [__name__]
              regex: go_.*
              action: drop
      remote_write:
        - url: https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1234/api/v1/remote_write
          aws_auth:
            region: us-west-2
            role_arn: arn:aws:iam::111122223333:role/amp-writer
            external_id: ext-1
            assume_role_duration: 15m
`;

function problems(text: string): string[] {
  try {
    parseAgentConfig(text, 'agent.yaml');
  } catch (error) {
    assert.ok(error instanceof ConfigFileError, String(error));
    return error.problems.map((p) => `${p.line}:${p.column} ${p.keyPath}: ${p.message}`);
  }
  assert.fail('expected the file to be refused');
}

describe('Grafana Agent static-mode files', () => {
  test('the guide set-up loads with its defaults', () => {
    const { config, warnings } = parseAgentConfig(GUIDE, 'agent.yaml');
    assert.deepEqual(warnings, []);
    assert.equal(config.walDirectory, '/tmp/grafana-agent-wal');
    const inst = config.instances[0]!;
    const job = inst.jobs[0]!;
    assert.equal(job.intervalMs, 15_000);
    assert.equal(job.timeoutMs, 10_000);
    assert.equal(job.file.metrics_path, '/metrics');
    assert.equal(job.file.honor_timestamps, true);
    const rw = inst.remoteWrite[0]!;
    assert.equal(rw.aws?.region, 'us-west-2');
    assert.deepEqual(rw.aws?.spec.roles, [
      {
        roleArn: 'arn:aws:iam::111122223333:role/amp-writer',
        externalId: 'ext-1',
        sessionName: undefined,
        durationSeconds: 900,
      },
    ]);
    assert.equal(rw.file.remote_timeout, 30_000);
    assert.equal(
      config.file.server.http_listen_address,
      '127.0.0.1',
      'listeners bind to localhost unless configured',
    );
    assert.deepEqual(config.file.metrics.global.external_labels, { cluster: 'prod' });
  });

  test('wal_dir is accepted as the other spelling; global remote_write applies to instances without their own', () => {
    const text = `metrics:
  wal_dir: /var/lib/signet
  global:
    remote_write:
      - url: http://127.0.0.1:9090/api/v1/write
  configs:
    - name: a
    - name: b
      remote_write:
        - url: http://127.0.0.1:9091/api/v1/write
`;
    const { config } = parseAgentConfig(text, 'agent.yaml');
    assert.equal(config.walDirectory, '/var/lib/signet');
    assert.equal(
      config.instances[0]!.remoteWrite[0]!.file.url,
      'http://127.0.0.1:9090/api/v1/write',
    );
    assert.equal(
      config.instances[1]!.remoteWrite[0]!.file.url,
      'http://127.0.0.1:9091/api/v1/write',
    );
  });

  test('an unknown key is located, with "did you mean"', () => {
    assert.deepEqual(problems('metrics:\n  global:\n    scrape_intervall: 15s\n'), [
      "3:5 metrics.global.scrape_intervall: unknown key 'scrape_intervall', did you mean 'scrape_interval'?",
    ]);
  });

  test('wrong types and bad durations name the place', () => {
    assert.deepEqual(problems('metrics:\n  global:\n    scrape_interval: 15 seconds\n'), [
      "3:22 metrics.global.scrape_interval: must be a duration, not '15 seconds'",
    ]);
    const [port] = problems('server:\n  http_listen_port: "x"\n');
    assert.match(port!, /^2:21 server\.http_listen_port: expected a number/);
    const [job] = problems(
      'metrics:\n  configs:\n    - name: a\n      scrape_configs:\n        - static_configs: []\n',
    );
    assert.match(job!, /metrics\.configs\[0\]\.scrape_configs\[0\]\.job_name: is required/);
  });

  test('checks across keys: timeout over interval, duplicates, both sigv4 and aws_auth, half a key pair', () => {
    const text = `metrics:
  configs:
    - name: a
      scrape_configs:
        - job_name: j
          scrape_interval: 5s
          scrape_timeout: 10s
        - job_name: j
      remote_write:
        - url: https://aps-workspaces.us-east-1.amazonaws.com/workspaces/w/api/v1/remote_write
          sigv4: { region: us-east-1 }
          aws_auth: { region: us-east-1 }
        - url: https://aps-workspaces.us-east-1.amazonaws.com/workspaces/w2/api/v1/remote_write
          sigv4: { access_key: AKIAEXAMPLE000000001 }
`;
    const found = problems(text);
    assert.ok(
      found.some((p) =>
        /^7:27 .*scrape timeout \(10s\) is greater than the scrape interval \(5s\)/.test(p),
      ),
      found.join('\n'),
    );
    assert.ok(
      found.some((p) => /^8:\d+ .*scrape_configs\[1\]\.job_name: repeats the job name 'j'/.test(p)),
      found.join('\n'),
    );
    assert.ok(
      found.some((p) => /remote_write\[0\]: has both sigv4 and aws_auth/.test(p)),
      found.join('\n'),
    );
    assert.ok(
      found.some((p) => /remote_write\[1\]\.sigv4: has only one of the access key id/.test(p)),
      found.join('\n'),
    );
  });

  test('keys understood but not implemented are refused, saying what would be missing', () => {
    const text = `integrations:\n  node_exporter: {}\nmetrics:\n  configs:\n    - name: a\n      scrape_configs:\n        - job_name: k\n          ec2_sd_configs: [{ region: us-east-1 }]\n`;
    assert.deepEqual(problems(text), [
      '1:1 integrations: Signet does not implement integrations: no integration would run, and nothing under it would be collected',
      '8:11 metrics.configs[0].scrape_configs[0].ec2_sd_configs: Signet does not implement ec2_sd_configs: the agent would scrape nothing from ec2_sd_configs',
    ]);
    const { warnings } = parseAgentConfig(text, 'agent.yaml', { allowUnimplemented: true });
    assert.deepEqual(
      warnings.map((w) => `${w.line}:${w.column} ${w.keyPath}`),
      ['1:1 integrations', '8:11 metrics.configs[0].scrape_configs[0].ec2_sd_configs'],
    );
    assert.match(warnings[1]!.message, /would scrape nothing.*allowed by --allow-unimplemented/);
  });

  test('every relabel list is compiled at load, each bad rule located at its field', () => {
    const rule = (regex: string) => `[{ source_labels: [a], regex: '${regex}', action: keep }]`;
    const text = `metrics:
  global:
    remote_write:
      - url: http://127.0.0.1:9/w
        write_relabel_configs: ${rule('(')}
  configs:
    - name: a
      host_filter_relabel_configs: ${rule('[')}
      scrape_configs:
        - job_name: j
          relabel_configs: ${rule('a{2,1}')}
          metric_relabel_configs: [{ action: replace, target_label: '' }]
`;
    const found = problems(text).map((p) => p.split(': ')[0]);
    assert.deepEqual(found, [
      '5:62 metrics.global.remote_write[0].write_relabel_configs[0].regex',
      '8:66 metrics.configs[0].host_filter_relabel_configs[0].regex',
      '11:58 metrics.configs[0].scrape_configs[0].relabel_configs[0].regex',
      '12:69 metrics.configs[0].scrape_configs[0].metric_relabel_configs[0].target_label',
    ]);
  });

  test('a global scrape_timeout written over the global interval is refused; the default shrinks as in Prometheus', () => {
    assert.deepEqual(
      problems('metrics:\n  global:\n    scrape_interval: 5s\n    scrape_timeout: 6s\n'),
      [
        '4:21 metrics.global.scrape_timeout: global scrape timeout (6s) is greater than the scrape interval (5s)',
      ],
    );
    const { config } = parseAgentConfig(
      'metrics:\n  global:\n    scrape_interval: 5s\n  configs:\n    - name: a\n      scrape_configs:\n        - job_name: j\n          scrape_interval: 30s\n',
      'agent.yaml',
    );
    assert.equal(config.instances[0]!.jobs[0]!.timeoutMs, 5000, 'the global timeout became 5s');
  });

  test('targets that would never be scraped are refused; host:port, IPv6 and names are fine', () => {
    const text = `metrics:
  configs:
    - name: a
      scrape_configs:
        - job_name: j
          static_configs:
            - targets: ['localhost:9100', '[::1]:9090', 'node-1', 'host/metrics', 'a,b', '', 'u@h:1']
`;
    assert.deepEqual(
      problems(text).map((p) =>
        p.replace(/ metrics\.configs\[0\]\.scrape_configs\[0\]\.static_configs\[0\]/, ' '),
      ),
      [
        "7:67 .targets[3]: 'host/metrics' is a URL, not host:port, so nothing would be scraped from it",
        "7:83 .targets[4]: 'a,b' is not host:port",
        '7:90 .targets[5]: is an empty target',
        "7:94 .targets[6]: 'u@h:1' is not host:port",
      ],
    );
  });

  test('signed blocks whose host names no region are listed for validateAgentConfig, located', () => {
    const { regionNeeds } = parseAgentConfig(
      `metrics:
  configs:
    - name: a
      scrape_configs:
        - job_name: api
          static_configs: [{ targets: ['abc.execute-api.eu-west-1.amazonaws.com:443', '10.0.0.1:80'] }]
          aws_auth: { profile: ops }
      remote_write:
        - url: https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/w/api/v1/remote_write
          sigv4: {}
        - url: https://prom.example.com/api/v1/write
          sigv4: { region: eu-west-1 }
        - url: https://prom.example.com/api/v1/write
          name: unsigned-region
          sigv4: {}
`,
      'agent.yaml',
    );
    assert.deepEqual(
      regionNeeds.map((n) => `${n.line}:${n.column} ${n.keyPath} ${n.host} ${n.profile}`),
      [
        '7:21 metrics.configs[0].scrape_configs[0].aws_auth 10.0.0.1:80 ops',
        '15:18 metrics.configs[0].remote_write[2].sigv4 prom.example.com undefined',
      ],
    );
  });

  test('authorization: { sigv4: … } is taken as sigv4 with a warning saying where it belongs', () => {
    const text = `metrics:\n  configs:\n    - name: a\n      scrape_configs:\n        - job_name: api\n          authorization:\n            sigv4: { region: eu-west-1 }\n`;
    const { config, warnings } = parseAgentConfig(text, 'agent.yaml');
    assert.equal(config.instances[0]!.jobs[0]!.aws?.region, 'eu-west-1');
    assert.match(warnings[0]!.message, /belongs beside authorization/);
  });

  test('-config.expand-env expands ${VAR} and ${VAR:-default} as Grafana Agent does', () => {
    const env = { REGION: 'eu-west-1', EMPTY: '' };
    assert.equal(
      expandEnv('r: ${REGION} d: ${MISSING:-us-east-1} e: ${EMPTY:-x} $$HOME $REGION', env),
      'r: eu-west-1 d: us-east-1 e: x $HOME eu-west-1',
    );
    const { config } = parseAgentConfig(
      'metrics:\n  wal_directory: ${WAL:-/tmp/default-wal}\n',
      'agent.yaml',
      { expandEnv: true, env: {} },
    );
    assert.equal(config.walDirectory, '/tmp/default-wal');
  });
  test('-config.expand-env: an unset variable without a default is located and named; comments are left alone', () => {
    const text = `# \${IN_A_COMMENT} is not expanded into anything that matters
metrics:
  wal_directory: \${WAL:-/tmp/w}   # \${ALSO_A_COMMENT}
  global:
    remote_write:
      - url: http://\${HOST}/api/v1/write
        headers: { x-a: '\${EMPTY}' }
`;
    try {
      parseAgentConfig(text, 'agent.yaml', { expandEnv: true, env: { EMPTY: '' } });
      assert.fail('expected the unset variable to be refused');
    } catch (error) {
      assert.ok(error instanceof ConfigFileError, String(error));
      assert.deepEqual(
        error.problems.map((p) => `${p.line}:${p.column} ${p.keyPath}: ${p.message}`),
        [
          '6:21 metrics.global.remote_write[0].url: ${HOST}: HOST is not set in the environment and has no default',
        ],
      );
    }
  });

  test('without -config.expand-env a value holding ${VAR} is used as written, with a warning saying so', () => {
    const { config, warnings } = parseAgentConfig(
      "metrics:\n  wal_directory: '${WAL}'\n  configs:\n    - name: a\n      scrape_configs:\n        - job_name: j\n          metric_relabel_configs: [{ source_labels: [a], regex: '(?P<x>.*)', target_label: b, replacement: '${x}' }]\n",
      'agent.yaml',
    );
    assert.equal(config.walDirectory, '${WAL}');
    assert.deepEqual(
      warnings.map((w) => `${w.line}:${w.column} ${w.keyPath}: ${w.message} (${w.hint})`),
      [
        '2:18 metrics.wal_directory: holds ${WAL}, used as written (this is an environment reference, but -config.expand-env is off so it is taken as written: run with -config.expand-env)',
      ],
      'a capture group in a relabel replacement is not an environment reference',
    );
  });

  test('-server.http.address replaces the listen address and port of the file', () => {
    const { config } = parseAgentConfig('server:\n  http_listen_port: 1\n', 'agent.yaml', {
      httpListen: { address: '0.0.0.0', port: 9999 },
    });
    assert.equal(config.file.server.http_listen_address, '0.0.0.0');
    assert.equal(config.file.server.http_listen_port, 9999);
  });

  test('files the agent reads when it starts must be readable now: secrets and TLS files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-load-'));
    const secret = join(dir, 'password');
    writeFileSync(secret, 'pw\n');
    const missing = join(dir, 'missing.pem');
    const text = `metrics:
  configs:
    - name: a
      scrape_configs:
        - job_name: j
          tls_config: { ca_file: ${missing} }
      remote_write:
        - url: http://127.0.0.1:9/w
          basic_auth: { username: u, password_file: ${secret} }
        - url: http://127.0.0.1:9/w2
          bearer_token_file: ${join(dir, 'token')}
`;
    try {
      assert.deepEqual(
        problems(text).map((p) => p.replace(dir, 'DIR')),
        [
          `6:34 metrics.configs[0].scrape_configs[0].tls_config.ca_file: 'DIR/missing.pem' cannot be read (ENOENT)`,
          `11:30 metrics.configs[0].remote_write[1].bearer_token_file: 'DIR/token' cannot be read (ENOENT)`,
        ],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
