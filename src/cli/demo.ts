/**
 * `signet demo`: Signet's main job with no AWS account. Starts `signet local`
 * (strict local AWS endpoints with the demo keys) and the agent with
 * examples/demo-agent.yaml, waits until scraped samples arrive at the local
 * AMP endpoint with verified signatures, and prints where to look.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { staticProvider } from '../aws/credentials/sources/static.js';
import { AwsClient } from '../aws/http/aws-client.js';
import { Agent } from '../agent/agent.js';
import { loadAgentConfig } from '../config/agent/load.js';
import { defaultLocalConfig } from '../local/config/defaults.js';
import { DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY, startLocal } from '../local/index.js';
import { UsageError } from './usage-error.js';

export const DEMO_USAGE = `Usage: signet demo [--once] [--port N] [--agent-port N]

Runs Signet end to end with no AWS account: signet local on --port (default
4579), and the agent (examples/demo-agent.yaml) scraping itself and a signed
API Gateway page, remote-writing with sigv4 to the local AMP endpoint.
--once exits 0 as soon as the data is there and verified (1 if it is not within a minute).`;

const EXAMPLE_PAGE = `# HELP orders_total Orders placed.
# TYPE orders_total counter
orders_total{status="paid"} 1027
orders_total{status="refunded"} 12
# HELP orders_in_flight Orders being processed.
# TYPE orders_in_flight gauge
orders_in_flight 3
`;

/** AMP's query API wants signed requests too; the demo asks with the demo keys. */
async function query(base: string, promql: string): Promise<number> {
  const client = new AwsClient({
    service: 'aps',
    region: 'us-east-1',
    credentials: staticProvider(
      { accessKeyId: DEMO_ACCESS_KEY_ID, secretAccessKey: DEMO_SECRET_ACCESS_KEY },
      'config',
    ),
  });
  const url = `${base}/workspaces/ws-demo/api/v1/query?query=${encodeURIComponent(promql)}`;
  const res = await client.send({ method: 'GET', url });
  const body = JSON.parse(res.body.toString('utf8')) as { data?: { result?: unknown[] } };
  return body.data?.result?.length ?? 0;
}

/** A free port on 127.0.0.1, for the agent's own listener (it scrapes itself there). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        once: { type: 'boolean' },
        port: { type: 'string' },
        'agent-port': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('. ')[0]! : String(error), {
      hint: 'run `signet help demo`',
    });
  }
}

export async function runDemoCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv);
  const port = values.port === undefined ? 4579 : Number(values.port);
  const wanted = values['agent-port'] === undefined ? 12345 : Number(values['agent-port']);
  const agentPort = wanted === 0 ? await freePort() : wanted;
  if (!Number.isInteger(port) || !Number.isInteger(agentPort))
    throw new UsageError('--port and --agent-port take a port number', {
      hint: 'e.g. --port 4579',
    });
  const stack = await startLocal({
    port,
    config: { ...defaultLocalConfig(), executeApi: { 'prod/orders/metrics': EXAMPLE_PAGE } },
  });
  const wal = mkdtempSync(join(tmpdir(), 'signet-demo-wal-'));
  const file = fileURLToPath(new URL('../../../examples/demo-agent.yaml', import.meta.url));
  const env = {
    ...process.env,
    SIGNET_LOCAL_HOST: new URL(stack.url).host,
    SIGNET_AGENT_PORT: String(agentPort),
    SIGNET_WAL_DIR: wal,
    SIGNET_LOG_LEVEL: process.env.SIGNET_LOG_LEVEL ?? 'warn',
    AWS_ACCESS_KEY_ID: DEMO_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: DEMO_SECRET_ACCESS_KEY,
  };
  // The agent's credential chain reads the environment, as it would on a real host.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: DEMO_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: DEMO_SECRET_ACCESS_KEY,
  });
  const { config, warnings } = loadAgentConfig(file, { expandEnv: true, env });
  const agent = await Agent.start(config, warnings);
  console.log(
    `signet local: ${stack.url} (demo keys ${DEMO_ACCESS_KEY_ID}, region ${stack.region})`,
  );
  console.log(
    `Signet agent: ${agent.server.url}/metrics, targets at ${agent.server.url}/agent/api/v1/metrics/targets`,
  );
  console.log(`Config: ${file}`);
  let arrived = false;
  for (let i = 0; i < 60 && !arrived; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    arrived =
      (await query(stack.url, 'orders_total')) > 0 &&
      (await query(stack.url, 'up{job="signet"}')) > 0;
  }
  const verified = stack.log
    .list()
    .filter((r) => r.service === 'aps' && r.status < 300 && r.signature === 'verified').length;
  if (arrived) {
    console.log(
      `✓ samples arrived at the local AMP endpoint in ${verified} signed remote_write request(s), every signature verified`,
    );
    console.log('  Look (AMP wants signed queries, so ask through signet sign):');
    console.log(
      `    AWS_ACCESS_KEY_ID=${DEMO_ACCESS_KEY_ID} AWS_SECRET_ACCESS_KEY=${DEMO_SECRET_ACCESS_KEY} \\`,
    );
    console.log(
      `      npx signet sign --region us-east-1 --service aps '${stack.url}/workspaces/ws-demo/api/v1/query?query=orders_total'`,
    );
    console.log(`    ${stack.url}/_signet/requests (every request and its verification verdict)`);
    console.log(`    ${agent.server.url}/metrics (Signet's own metrics)`);
  } else {
    console.log('✗ no samples arrived within a minute; see the log above and signet doctor');
  }
  if (!values.once && arrived) {
    console.log('Running; Ctrl-C to stop.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  }
  await agent.stop(2000);
  await stack.close();
  return arrived ? 0 : 1;
}
