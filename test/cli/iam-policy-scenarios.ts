/**
 * The configurations test/cli/iam-policy-local.test.ts proves policies for:
 * the guides' kinds (AMP remote_write with sigv4; CloudWatch Logs as a
 * client URL and as the loki_push_api target; S3, Firehose and Kinesis; a
 * role_arn with an external_id), each variant with its own resources.
 */
import { join } from 'node:path';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const BUCKET = 'iam-policy-logs';

/** Where the agent finds signet local and the page it scrapes. */
export interface Endpoints {
  readonly localUrl: string;
  readonly pagePort: number;
}

export interface Scenario {
  readonly name: string;
  /** The delivering call, as the request log names it (`service:Operation`). */
  readonly delivers: string;
  /** The agent's config for variant `v` (its own group, stream, prefix, workspace or role). */
  yaml(v: number, dir: string, at: Endpoints): string;
}

/** A logs config tailing `<dir>/*.log`: to `client`, or through `targets` (the guides' loki_push_api form). */
const logsYaml = (
  dir: string,
  client: Record<string, unknown> | undefined,
  targets?: readonly unknown[],
): string =>
  JSON.stringify({
    logs: {
      positions_directory: join(dir, 'positions'),
      configs: [
        {
          name: 'iam',
          ...(client
            ? {
                clients: [
                  {
                    batchwait: '100ms',
                    backoff_config: { min_period: '100ms', max_period: '300ms' },
                    ...client,
                  },
                ],
              }
            : {}),
          ...(targets ? { targets } : {}),
          scrape_configs: [
            {
              job_name: 'app',
              static_configs: [
                {
                  targets: ['localhost'],
                  labels: { host: 'node-a', __path__: join(dir, '*.log') },
                },
              ],
            },
          ],
        },
      ],
    },
  });

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'amp',
    delivers: 'aps:RemoteWrite',
    yaml: (v, dir, at) =>
      JSON.stringify({
        metrics: {
          wal_directory: join(dir, 'wal'),
          global: { scrape_interval: '1s' },
          configs: [
            {
              name: 'iam',
              scrape_configs: [
                { job_name: 'page', static_configs: [{ targets: [`127.0.0.1:${at.pagePort}`] }] },
              ],
              remote_write: [
                {
                  url: `${at.localUrl}/workspaces/ws-iam-${v}/api/v1/remote_write`,
                  sigv4: { region: REGION },
                  queue_config: { batch_send_deadline: '200ms' },
                },
              ],
            },
          ],
        },
      }),
  },
  {
    name: 'cwlogs',
    delivers: 'logs:PutLogEvents',
    yaml: (v, dir) =>
      logsYaml(dir, {
        url: `cwlogs://${REGION}/iam-cw-${v}`,
        cloudwatch_logs: { retention_in_days: 1 },
      }),
  },
  {
    // The guides' other spelling: a group with a leading slash, the stream a template.
    name: 'cwlogs-target',
    delivers: 'logs:PutLogEvents',
    yaml: (v, dir) =>
      logsYaml(dir, undefined, [
        {
          loki_push_api: {
            cloudwatch_logs: {
              client_id: 'app-to-cwl',
              region: REGION,
              log_group_name: `/iam/target-${v}`,
              log_stream_name: '{{ .host }}',
            },
          },
        },
      ]),
  },
  {
    name: 's3',
    delivers: 's3:PutObject',
    yaml: (v, dir) => logsYaml(dir, { url: `s3://${BUCKET}/v${v}`, s3: { batch_wait: '200ms' } }),
  },
  {
    name: 'firehose',
    delivers: 'firehose:PutRecordBatch',
    yaml: (v, dir) =>
      logsYaml(dir, { firehose: { delivery_stream_name: `iam-fh-${v}`, region: REGION } }),
  },
  {
    name: 'kinesis',
    delivers: 'kinesis:PutRecords',
    yaml: (v, dir) => logsYaml(dir, { kinesis: { stream_name: `iam-ks-${v}`, region: REGION } }),
  },
  {
    name: 'role',
    delivers: 'logs:PutLogEvents',
    yaml: (v, dir) =>
      logsYaml(dir, {
        url: `cwlogs://${REGION}/iam-role-${v}`,
        aws_auth: {
          region: REGION,
          role_arn: `arn:aws:iam::${ACCOUNT}:role/iam-role-${v}`,
          external_id: `ext-${v}`,
        },
      }),
  },
];
