import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LocalStack } from '../../src/local/index.js';
import { TempHome, isolatedEnv, startStack } from '../aws/credentials/harness.js';
import { outcome, runSignet, SIGNET_BIN, type CliResult } from '../helpers/run-cli.js';

let stack: LocalStack;
let home: TempHome;
before(async () => {
  stack = await startStack();
  home = new TempHome();
});
after(async () => {
  home.remove();
  await stack.close();
});

/** Problem lines (`file:line:col: …`), without warnings or log lines. */
function problemLines(r: CliResult, file: string): string[] {
  return r.stderr.split('\n').filter((l) => l.startsWith(`${file}:`));
}

/**
 * What check and run may word differently: only whether IMDS was asked, which
 * run does and check does not.
 */
function sameProblem(line: string): string {
  return line.replace(
    /; config check does not ask the instance metadata service \(IMDS\), which `signet run` would try on EC2|, nor the instance metadata service \(IMDS\)/,
    '',
  );
}

/**
 * `config check FILE` and `run -config.file=FILE` both refuse the file with
 * exit 1 and the very same located problems; returns check's, without the file name.
 */
async function bothRefuse(
  name: string,
  text: string,
  env: Record<string, string> = {},
  flags: string[] = [],
): Promise<string[]> {
  const file = home.write(name, text);
  const options = { env: isolatedEnv(home, env) };
  const check = await runSignet(['config', 'check', ...flags, file], options);
  const run = await runSignet(['run', `-config.file=${file}`, ...flags], options);
  assert.equal(check.status, 1, check.stdout + check.stderr);
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const lines = problemLines(check, file);
  assert.ok(lines.length > 0, check.stderr);
  assert.deepEqual(
    problemLines(run, file).map(sameProblem),
    lines.map(sameProblem),
    'run refuses with what check said',
  );
  assert.equal(check.stdout, '', 'check says nothing is valid');
  return lines.map((l) => l.slice(file.length + 1));
}

const JOB = `metrics:
  configs:
    - name: a
      scrape_configs:
        - job_name: node
`;

describe('signet config check agrees with signet run', () => {
  test('a bad regex in metric_relabel_configs is refused by both, at the regex', async () => {
    const lines = await bothRefuse(
      'relabel.yaml',
      `${JOB}          static_configs: [{ targets: ['localhost:9100'] }]
          metric_relabel_configs:
            - source_labels: [__name__]
              regex: 'go_(.*'
              action: drop
`,
    );
    assert.equal(lines.length, 1);
    assert.match(
      lines[0]!,
      /^9:22: metrics\.configs\[0\]\.scrape_configs\[0\]\.metric_relabel_configs\[0\]\.regex: invalid regex "go_\(\.\*".*\(relabel regexes use RE2 syntax/,
    );
  });

  test('sigv4: {} on a host that names no region: check refuses without asking IMDS; run refuses when IMDS has none', async () => {
    const text = `metrics:
  configs:
    - name: a
      remote_write:
        - url: https://prom.example.com/api/v1/write
          sigv4: {}
`;
    // IMDS is reachable (signet local serves it) but check must not ask it.
    const file = home.write('region.yaml', text);
    const imdsCalls = (): number =>
      stack.log.list().filter((r) => r.path.startsWith('/latest/')).length;
    const before = imdsCalls();
    const check = await runSignet(['config', 'check', file], {
      env: isolatedEnv(home, { AWS_EC2_METADATA_SERVICE_ENDPOINT: stack.url }),
    });
    assert.equal(check.status, 1, check.stderr);
    assert.equal(imdsCalls(), before, 'config check stays off the network');
    const [line] = problemLines(check, file);
    assert.match(
      line!,
      /:6:18: metrics\.configs\[0\]\.remote_write\[0\]\.sigv4: no signing region: 'prom\.example\.com' names none, and neither AWS_REGION, AWS_DEFAULT_REGION nor profile 'default' gives one; config check does not ask the instance metadata service \(IMDS\)/,
    );
    assert.match(line!, /\(set region: in this block .*or AWS_REGION/);

    // No IMDS at all (a closed port): run refuses with the same place.
    const lines = await bothRefuse('region.yaml', text);
    assert.match(lines[0]!, /^6:18: .*sigv4: no signing region/);

    // A region from the environment or the profile satisfies both.
    const ok = await runSignet(['config', 'check', file], {
      env: isolatedEnv(home, { AWS_REGION: 'eu-west-1' }),
    });
    assert.equal(ok.status, 0, ok.stderr);
    const profiled = new TempHome({ '.aws/config': '[profile amp]\nregion = eu-north-1\n' });
    const viaProfile = await runSignet(['config', 'check', file], {
      env: isolatedEnv(profiled, { AWS_PROFILE: 'amp' }),
    });
    profiled.remove();
    assert.equal(viaProfile.status, 0, viaProfile.stderr);
  });

  test('a URL or a space in targets is refused with where the scheme and path go', async () => {
    const lines = await bothRefuse(
      'targets.yaml',
      `${JOB}          static_configs:
            - targets: ['http://host.example:9100/metrics', 'a:1 b:2']
`,
    );
    assert.deepEqual(
      lines.map((l) => l.split(' (')[0]),
      [
        "7:25: metrics.configs[0].scrape_configs[0].static_configs[0].targets[0]: 'http://host.example:9100/metrics' is a URL, not host:port, so nothing would be scraped from it",
        "7:61: metrics.configs[0].scrape_configs[0].static_configs[0].targets[1]: 'a:1 b:2' contains a space; a target is one host:port",
      ],
    );
    assert.match(
      lines[0]!,
      /write `host\.example:9100`; put the scheme in `scheme:` and the path in `metrics_path:` \(here scheme: http, metrics_path: \/metrics\)/,
    );
  });

  test('scrape_timeout over the scrape_interval is refused, as Prometheus does', async () => {
    const lines = await bothRefuse(
      'timeout.yaml',
      `${JOB}          scrape_interval: 5s
          scrape_timeout: 10s
`,
    );
    assert.deepEqual(lines, [
      '7:27: metrics.configs[0].scrape_configs[0].scrape_timeout: scrape timeout (10s) is greater than the scrape interval (5s) (make scrape_timeout at most scrape_interval, as Prometheus requires)',
    ]);
  });

  test('keys Signet does not implement stop both unless --allow-unimplemented', async () => {
    const text = `${JOB}          ec2_sd_configs: [{ region: us-east-1 }]
integrations:
  node_exporter: {}
`;
    const lines = await bothRefuse('k8s.yaml', text);
    assert.deepEqual(lines, [
      '6:11: metrics.configs[0].scrape_configs[0].ec2_sd_configs: Signet does not implement ec2_sd_configs: the agent would scrape nothing from ec2_sd_configs (remove it, or pass --allow-unimplemented to run without it)',
      '7:1: integrations: Signet does not implement integrations: no integration would run, and nothing under it would be collected (remove it, or pass --allow-unimplemented to run without it)',
    ]);
    const file = home.path('k8s.yaml');
    const allowed = await runSignet(['config', 'check', '--allow-unimplemented', file], {
      env: isolatedEnv(home),
    });
    assert.equal(allowed.status, 0, allowed.stderr);
    assert.match(allowed.stdout, /valid \(1 instance\(s\), 1 scrape job\(s\)/);
    assert.match(
      allowed.stderr,
      /^warning: .*k8s\.yaml:6:11: .*ec2_sd_configs: .*the agent would scrape nothing from ec2_sd_configs \(allowed by --allow-unimplemented\)/m,
    );
  });

  test('role_chain entries are strict: a misspelt external_id is refused with "did you mean"', async () => {
    const lines = await bothRefuse(
      'chain.yaml',
      `metrics:
  configs:
    - name: a
      remote_write:
        - url: https://aps-workspaces.us-east-1.amazonaws.com/workspaces/w/api/v1/remote_write
          sigv4:
            role_chain:
              - role_arn: arn:aws:iam::111122223333:role/x
                externl_id: abc
`,
    );
    assert.deepEqual(lines, [
      "9:17: metrics.configs[0].remote_write[0].sigv4.role_chain[0].externl_id: unknown key 'externl_id', did you mean 'external_id'? (rename it to external_id)",
    ]);
  });

  test('${VAR}: without -config.expand-env the error says to pass it; with it, an unset variable is named', async () => {
    const text = `server:
  http_listen_port: \${PORT:-12345}
metrics:
  configs:
    - name: a
      remote_write:
        - url: http://\${PUSH_HOST}/api/v1/write
`;
    const off = await bothRefuse('env.yaml', text);
    const hint =
      '(this is an environment reference, but -config.expand-env is off so it is taken as written: run with -config.expand-env)';
    assert.deepEqual(off, [
      `2:21: server.http_listen_port: expected a number, got '\${PORT:-12345}' ${hint}`,
    ]);
    const literalHost = await bothRefuse('host.yaml', text.replace('${PORT:-12345}', '12345'));
    assert.deepEqual(literalHost, [
      `7:16: metrics.configs[0].remote_write[0].url: 'http://\${PUSH_HOST}/api/v1/write' has '\${push_host}' for a host, which no name resolves to ${hint}`,
    ]);
    const on = await bothRefuse('env.yaml', text, {}, ['-config.expand-env']);
    assert.deepEqual(on, [
      '7:23: metrics.configs[0].remote_write[0].url: ${PUSH_HOST}: PUSH_HOST is not set in the environment and has no default (set PUSH_HOST, or give a default: ${PUSH_HOST:-value} (write $$ for a literal $))',
    ]);
    const set = await runSignet(['config', 'check', '-config.expand-env', home.path('env.yaml')], {
      env: isolatedEnv(home, { PUSH_HOST: '127.0.0.1:9' }),
    });
    assert.equal(set.status, 0, set.stderr);
  });

  test('a wal_directory that cannot be created is refused before anything starts, and check creates nothing', async () => {
    const blocker = home.write('not-a-dir', 'x');
    const lines = await bothRefuse(
      'wal.yaml',
      `metrics:\n  wal_directory: ${blocker}/wal\n  configs: [{ name: a }]\n`,
    );
    assert.deepEqual(lines, [
      `2:18: metrics.wal_directory: '${blocker}' is a file, so '${blocker}/wal' cannot be a directory (give a wal_directory the user Signet runs as can write)`,
    ]);
    const fresh = home.path('fresh/wal');
    const file = home.write(
      'fresh.yaml',
      `metrics:\n  wal_directory: ${fresh}\n  configs: [{ name: a }]\n`,
    );
    const ok = await runSignet(['config', 'check', file], { env: isolatedEnv(home) });
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(existsSync(home.path('fresh')), false, 'check made no directory');
  });

  test('the demo file passes check with -config.expand-env and nothing set', async () => {
    const demo = fileURLToPath(new URL('../../../examples/demo-agent.yaml', import.meta.url));
    const r = await runSignet(['config', 'check', '-config.expand-env', demo], {
      env: isolatedEnv(home),
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(
      r.stdout,
      /valid \(1 instance\(s\), 2 scrape job\(s\), 1 remote_write endpoint\(s\)\)/,
    );
  });

  test("the README's logs examples pass check", async () => {
    for (const name of ['logs-agent.yaml', 'logs-cloudwatch.yaml']) {
      const file = fileURLToPath(new URL(`../../../examples/${name}`, import.meta.url));
      const r = await runSignet(['config', 'check', file], { env: isolatedEnv(home) });
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    }
  });
});

describe("Grafana Agent's command-line flags", () => {
  test('-server.http.address overrides the file, and run goes on to IMDS for a region check could not find', async () => {
    const wal = home.path('wal');
    const file = home.write(
      'start.yaml',
      `server:
  http_listen_port: 1
metrics:
  wal_directory: ${wal}
  configs:
    - name: a
      remote_write:
        - url: http://127.0.0.1:9/api/v1/write
          sigv4: {}
`,
    );
    const child = spawn(
      process.execPath,
      [
        SIGNET_BIN,
        'run',
        `-config.file=${file}`,
        '-server.http.address=127.0.0.1:0',
        '-config.file.type=yaml',
      ],
      {
        env: isolatedEnv(home, {
          PATH: process.env.PATH ?? '',
          AWS_EC2_METADATA_SERVICE_ENDPOINT: stack.url,
          AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE000000001',
          AWS_SECRET_ACCESS_KEY: 'secret/EXAMPLE',
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const imdsCalls = (): number =>
      stack.log.list().filter((r) => r.path.startsWith('/latest/')).length;
    const before = imdsCalls();
    const result = outcome(child);
    let seen = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`run did not start: ${seen}`)), 15_000);
      const look = (chunk: Buffer): void => {
        seen += chunk.toString('utf8');
        const m = /Signet is running.*?url="?(http:\/\/[^\s"]+)/.exec(seen);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child.stdout.on('data', look);
      child.stderr.on('data', look);
    });
    assert.ok(imdsCalls() > before, 'run asked IMDS for the region');
    const port = Number(new URL(url).port);
    assert.notEqual(port, 1, 'the flag wins over http_listen_port');
    const res = await fetch(`${url}/metrics`);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    child.kill('SIGTERM');
    const done = await result;
    assert.equal(done.status, 0, done.stderr);
  });

  test('flags with no meaning here are refused by name, exit 2', async () => {
    const file = home.write('ok.yaml', 'metrics: {}\n');
    const cases: [string[], RegExp][] = [
      [
        ['-server.grpc.address=127.0.0.1:9095'],
        /Signet has no gRPC server; remove -server\.grpc\.address/,
      ],
      [
        ['-config.file.type=dynamic'],
        /-config\.file\.type=dynamic: Signet has no dynamic configuration/,
      ],
      [
        ['-enable-features=extra-scrape-metrics'],
        /-enable-features=extra-scrape-metrics: Signet does not produce/,
      ],
      [['-enable-features', 'no-such'], /'no-such' is not a Grafana Agent feature/],
      [['-server.http.address=localhost'], /-server\.http\.address 'localhost' is not HOST:PORT/],
      [['-no.such-flag'], /unknown option '-no\.such-flag'/],
    ];
    // Both commands parse with parseAgentFlags: every case on run, one on check.
    for (const [flags, expected] of cases) {
      for (const args of [
        ['run', `-config.file=${file}`, ...flags],
        ...(flags[0]!.includes('grpc') ? [['config', 'check', ...flags, file]] : []),
      ]) {
        const r = await runSignet(args, { env: isolatedEnv(home) });
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, expected);
        assert.equal(r.stderr.trim().split('\n').length, 1);
      }
    }
    const accepted = await runSignet(
      [
        'config',
        'check',
        '-config.file.type=yaml',
        '-disable-reporting',
        '-config.expand-env=true',
        '-server.http.address=:12345',
        file,
      ],
      { env: isolatedEnv(home) },
    );
    assert.equal(accepted.status, 0, accepted.stderr);
  });
});
