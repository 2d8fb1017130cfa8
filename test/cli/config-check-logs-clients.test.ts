/**
 * `signet config check` refuses the AWS logs clients' options `signet run`
 * would refuse — CloudWatch Logs, S3, Firehose and Kinesis — with the same
 * located problems, each at its key path: the sinks' own checks run when the
 * file is loaded, not only when the pipeline is built at start.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TempHome, isolatedEnv } from '../aws/credentials/harness.js';
import { runSignet, type CliResult } from '../helpers/run-cli.js';

let home: TempHome;
before(() => {
  home = new TempHome();
});
after(() => home.remove());

/** Problem lines (`file:line:col: …`), without warnings or log lines. */
function problemLines(r: CliResult, file: string): string[] {
  return r.stderr
    .split('\n')
    .filter((l) => l.startsWith(`${file}:`))
    .map((l) => l.slice(file.length + 1));
}

/** One logs config whose clients are `clients` (YAML list items, indented for `clients:`). */
function logsFile(clients: string): string {
  return `logs:
  positions_directory: ${home.path('positions')}
  configs:
    - name: a
      clients:
${clients}      scrape_configs:
        - job_name: app
          static_configs:
            - labels: { job: app, __path__: ${home.path('logs')}/*.log }
`;
}

test('bad CloudWatch Logs, S3, Firehose and Kinesis options: check and run refuse each at its key, alike', async () => {
  const file = home.write(
    'aws-clients.yaml',
    logsFile(`        - name: cwl
          url: cwlogs://us-east-1/group
          cloudwatch_logs:
            log_stream_name: '{{ .pod'
        - name: bucket
          url: s3://logs-bucket/app
          s3:
            region: us-east-1
            key_format: 'app/%Y/%m/%d'
        - name: fh
          firehose:
            region: us-east-1
            delivery_stream_name: 'no spaces allowed'
        - name: kin-name
          kinesis:
            region: us-east-1
            stream_name: 'logs/stream'
        - name: kin-key
          kinesis:
            region: us-east-1
            stream_name: logs
            partition_key: '{{ pod }}'
        - name: fh-aggregate
          firehose:
            region: us-east-1
            delivery_stream_name: logs
            newline: false
            aggregate: true
        - name: bucket-kms
          s3:
            bucket: logs-bucket
            region: us-east-1
            kms_key_id: alias/logs
`),
  );
  const env = isolatedEnv(home, { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' });
  const [check, run] = await Promise.all([
    runSignet(['config', 'check', file], { env }),
    runSignet(['run', `-config.file=${file}`, '-server.http.address=127.0.0.1:0'], { env }),
  ]);
  assert.equal(check.status, 1, check.stdout + check.stderr);
  assert.equal(check.stdout, '', 'check does not call the file valid');
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const lines = problemLines(check, file);
  const client = 'logs.configs[0].clients';
  assert.deepEqual(
    lines.map((l) => l.replace(/ \(.*$/, '')),
    [
      `9:30: ${client}[0].cloudwatch_logs.log_stream_name: "{{ .pod" has an unclosed {{`,
      `14:25: ${client}[1].s3.key_format: "app/%Y/%m/%d" has no $UUID`,
      `18:35: ${client}[2].firehose.delivery_stream_name: "no spaces allowed" is not a delivery stream name`,
      `22:26: ${client}[3].kinesis.stream_name: "logs/stream" is not a stream name`,
      `27:28: ${client}[4].kinesis.partition_key: {{ pod }} is not a label reference`,
      `33:24: ${client}[5].firehose.aggregate: needs newline: true`,
      `38:25: ${client}[6].s3.kms_key_id: is set but sse is not aws:kms`,
    ],
  );
  for (const line of lines) assert.match(line, / \(.+\)$/, `a hint says what to do: ${line}`);
  assert.deepEqual(problemLines(run, file), lines, 'run refuses with what check said');
});

test('an AWS logs client with no region anywhere: check refuses it at its block, as run does; an ARN or AWS_REGION gives one', async () => {
  const file = home.write(
    'aws-regions.yaml',
    logsFile(`        - firehose:
            delivery_stream_name: logs
        - kinesis:
            stream_arn: arn:aws:kinesis:eu-west-1:123456789012:stream/logs
        - s3:
            bucket: logs-bucket
            endpoint: http://127.0.0.1:9
`),
  );
  const env = isolatedEnv(home, { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' });
  const [check, run, withRegion] = await Promise.all([
    runSignet(['config', 'check', file], { env }),
    runSignet(['run', `-config.file=${file}`, '-server.http.address=127.0.0.1:0'], { env }),
    runSignet(['config', 'check', file], { env: { ...env, AWS_REGION: 'eu-west-1' } }),
  ]);
  assert.equal(check.status, 1, check.stdout + check.stderr);
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const lines = problemLines(check, file);
  assert.deepEqual(
    lines.map((l) => l.replace(/: '.*$/, '')),
    [
      '7:13: logs.configs[0].clients[0].firehose: no signing region',
      '11:13: logs.configs[0].clients[2].s3: no signing region',
    ],
  );
  assert.match(
    lines[0]!,
    /'firehose\.<region>\.amazonaws\.com' names none.*\(set region: in this block/,
  );
  assert.match(lines[1]!, /'127\.0\.0\.1:9' names none/);
  // Run also asks IMDS (at a closed port here), and says so; otherwise the same.
  const withoutImds = (l: string) =>
    l.replace(
      /; config check does not ask the instance metadata service \(IMDS\), which `signet run` would try on EC2|, nor the instance metadata service \(IMDS\)/,
      '',
    );
  assert.deepEqual(problemLines(run, file).map(withoutImds), lines.map(withoutImds));
  assert.equal(withRegion.status, 0, withRegion.stderr);
});

test('the same clients with their options fixed pass check', async () => {
  const file = home.write(
    'aws-clients-ok.yaml',
    logsFile(`        - url: cwlogs://us-east-1/group
          cloudwatch_logs:
            log_stream_name: '{{ .pod }}'
        - url: s3://logs-bucket/app
          s3:
            region: us-east-1
            key_format: 'app/%Y/%m/%d/$UUID.log.gz'
            sse: aws:kms
            kms_key_id: alias/logs
        - firehose:
            region: us-east-1
            delivery_stream_name: logs
            newline: true
            aggregate: true
        - kinesis:
            region: us-east-1
            stream_name: logs
            partition_key: '{{ .pod }}'
`),
  );
  const check = await runSignet(['config', 'check', file], { env: isolatedEnv(home) });
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stdout, /valid/);
});
