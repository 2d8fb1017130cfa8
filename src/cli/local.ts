import { parseArgs } from 'node:util';
import {
  startLocal,
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  DEMO_CONTAINER_TOKEN,
  type LocalStack,
} from '../local/index.js';
import { runDemo } from '../local/demo.js';
import { UsageError } from './usage-error.js';

export const LOCAL_USAGE = `Usage: signet local [--port N] [--host ADDR] [--region R] [--data-dir DIR] [--config FILE] [--demo]

Serves, on 127.0.0.1, strict stand-ins for the AWS APIs Signet talks to
(AMP remote_write, CloudWatch Logs, S3, Firehose, Kinesis, X-Ray, CloudWatch,
STS, EC2, IMDSv2, ECS credentials, API Gateway), verifying every SigV4
signature like AWS, and a Loki (push and query_range) behind an API Gateway
that verifies signed pushes and takes unsigned ones, as Loki without auth. Out of the box it knows AWS's documentation example keys
and offers an instance role (IMDSv2) and container credentials (ECS).

Options:
  --port N         port to listen on (default 4579; 0 picks a free one)
  --region R       the region this endpoint stands in for (default us-east-1)
  --data-dir DIR   keep what is accepted across restarts
  --config FILE    principals, roles, policies, instances and faults (YAML or JSON)
  --host ADDR      address to bind (default 127.0.0.1)
  --demo           start on a free port, send a few requests signed by Signet,
                   show how the endpoints judged them, and exit`;

export const DEFAULT_LOCAL_PORT = 4579;

/** The IMDS and ECS lines: what an agent on "EC2" or in a "container" sets, if the config offers them. */
function credentialEndpoints(stack: LocalStack): string[] {
  const u = stack.url;
  const { config } = stack;
  const self = config.instances.find((i) => i.self);
  const lines = [
    self?.role
      ? `  IMDSv2             AWS_EC2_METADATA_SERVICE_ENDPOINT=${u}/   (instance ${self.instanceId}, role ${self.role})`
      : `  IMDSv2             AWS_EC2_METADATA_SERVICE_ENDPOINT=${u}/   (no instance role: add instances: with self: true and a role)`,
  ];
  const container = config.container;
  if (container) {
    const path = container.fullUriPath;
    lines.push(
      `  ECS credentials    AWS_CONTAINER_CREDENTIALS_FULL_URI=${u}${path}   (role ${container.role})`,
    );
    // The default config's token is public; a config file's token is not printed.
    const token = container.authorizationToken;
    if (token !== undefined) {
      lines.push(
        `                     AWS_CONTAINER_AUTHORIZATION_TOKEN=${token === DEMO_CONTAINER_TOKEN ? token : '<container.authorization_token from --config>'}`,
      );
    }
  } else {
    lines.push('  ECS credentials    none: add a container: section to the --config file');
  }
  return lines;
}

function describe(stack: LocalStack): string {
  const u = stack.url;
  const demo = stack.demoCredentials;
  return [
    `signet local: AWS stand-in for ${stack.region} on ${u} (every service on this one port)`,
    `  AWS_ENDPOINT_URL=${u}                      SDKs and the AWS CLI send every service here`,
    `  AMP remote_write   ${u}/workspaces/<id>/api/v1/remote_write   (query: .../api/v1/query)`,
    `  CloudWatch Logs, Firehose, Kinesis, CloudWatch, STS, EC2   POST ${u}/`,
    `  S3                 ${u}/<bucket>/<key>   (path style)`,
    `  X-Ray              ${u}/TraceSegments   OTLP traces: ${u}/v1/traces`,
    `  API Gateway        ${u}/execute-api/<path>`,
    `  Loki               ${u}/loki/api/v1/push   (query: .../query_range; X-Scope-OrgID tenants; memory only)`,
    ...credentialEndpoints(stack),
    `  What arrived       ${u}/_signet/requests      Faults: POST ${u}/_signet/faults`,
    demo
      ? `Demo credentials (AWS's documentation example keys, account 123456789012):\n  AWS_ACCESS_KEY_ID=${DEMO_ACCESS_KEY_ID}\n  AWS_SECRET_ACCESS_KEY=${DEMO_SECRET_ACCESS_KEY}\n  AWS_REGION=${stack.region}`
      : 'Credentials: the principals of your --config file.',
  ].join('\n');
}

export async function runLocal(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        region: { type: 'string' },
        'data-dir': { type: 'string' },
        config: { type: 'string' },
        host: { type: 'string' },
        demo: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('. ')[0]! : String(error), {
      hint: 'run `signet help local`',
    });
  }
  if (values.help) {
    console.log(LOCAL_USAGE);
    return 0;
  }
  const port =
    values.port === undefined ? (values.demo ? 0 : DEFAULT_LOCAL_PORT) : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port '${values.port}' is not a port number`, {
      hint: 'use 0 to 65535',
    });
  }
  const stack = await startLocal({
    port,
    host: values.host,
    region: values.region,
    dataDir: values['data-dir'],
    configFile: values.config,
  });
  console.log(describe(stack));
  if (values.demo) {
    console.log('');
    const ok = await runDemo(
      stack,
      { accessKeyId: DEMO_ACCESS_KEY_ID, secretAccessKey: DEMO_SECRET_ACCESS_KEY },
      (line) => console.log(line),
    );
    await stack.close();
    return ok ? 0 : 1;
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await stack.close();
  return 0;
}
