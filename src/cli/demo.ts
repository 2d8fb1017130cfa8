/**
 * `signet demo`: Signet's main job with no AWS account. Starts `signet local`
 * (strict local AWS endpoints with the demo keys) and the agent with
 * examples/demo-agent.yaml, waits until scraped samples arrive at the local
 * AMP endpoint with verified signatures, and prints where to look.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { staticProvider } from '../aws/credentials/sources/static.js';
import { AwsClient } from '../aws/http/aws-client.js';
import { Agent } from '../agent/agent.js';
import { parseAgentConfig } from '../config/agent/load.js';
import { defaultLocalConfig } from '../local/config/defaults.js';
import { DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY, startLocal } from '../local/index.js';
import { readPackageText } from '../packaging/embedded.js';
import { listenError } from '../server/listen-error.js';
import { DEFAULT_LOCAL_PORT } from './local.js';
import { UsageError } from './usage-error.js';

export const DEMO_USAGE = `Usage: signet demo [--once] [--port N] [--agent-port N]

Runs Signet end to end with no AWS account: signet local on --port (default
4579), and the agent (examples/demo-agent.yaml) scraping itself and a signed
API Gateway page, remote-writing with sigv4 to the local AMP endpoint.
--once exits 0 as soon as the data is there and verified (1 if it is not within a
minute), stopping both servers and removing the agent's temporary WAL directory.
--port 0 and --agent-port 0 pick free ports.`;

const DEFAULT_AGENT_PORT = 12345;
/** Where examples/demo-agent.yaml has the agent listen. */
const AGENT_ADDRESS = '127.0.0.1';
/** How long the demo waits for the samples before it calls the run a failure. */
const WAIT_SECONDS = 60;

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

/**
 * Fails with a clear error if the agent's port is taken. The check comes
 * before the agent starts: an agent whose listener fails has already started
 * scraping, and would keep the demo alive.
 */
async function ensureFree(port: number): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        listenError(
          error,
          'the demo agent',
          AGENT_ADDRESS,
          port,
          'pass --agent-port N, where 0 picks a free one',
        ),
      ),
    );
    server.listen(port, AGENT_ADDRESS, () => resolve());
  });
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

function portOption(value: string | undefined, name: string, fallback: number): number {
  const port = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`${name} '${value}' is not a port number`, {
      hint: 'use 0 to 65535 (0 picks a free one)',
    });
  return port;
}

/** Resolves on SIGINT or SIGTERM, so the demo can stop its servers and remove its WAL. */
function stopSignal(): { readonly requested: () => boolean; readonly wait: Promise<void> } {
  let requested = false;
  const wait = new Promise<void>((resolve) => {
    const stop = () => {
      requested = true;
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return { requested: () => requested, wait };
}

export async function runDemoCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv);
  const port = portOption(values.port, '--port', DEFAULT_LOCAL_PORT);
  const wanted = portOption(values['agent-port'], '--agent-port', DEFAULT_AGENT_PORT);
  const agentPort = wanted === 0 ? await freePort() : await ensureFree(wanted);
  const stop = stopSignal();
  // Undone in reverse order, whatever happens: agent, WAL, then signet local.
  const undo: Array<() => unknown> = [];
  try {
    const stack = await startLocal({
      port,
      config: { ...defaultLocalConfig(), executeApi: { 'prod/orders/metrics': EXAMPLE_PAGE } },
    });
    undo.unshift(() => stack.close());
    const wal = mkdtempSync(join(tmpdir(), 'signet-demo-wal-'));
    undo.unshift(() => rmSync(wal, { recursive: true, force: true }));
    // Read through readPackageText: the single executable carries the file inside it.
    const file = 'examples/demo-agent.yaml';
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
    const { config, warnings } = parseAgentConfig(readPackageText(file), file, {
      expandEnv: true,
      env,
    });
    const agent = await Agent.start(config, warnings);
    undo.unshift(() => agent.stop(2000));
    console.log(
      `signet local: ${stack.url} (demo keys ${DEMO_ACCESS_KEY_ID}, region ${stack.region})`,
    );
    console.log(
      `Signet agent: ${agent.server.url}/metrics, targets at ${agent.server.url}/agent/api/v1/metrics/targets`,
    );
    console.log(`Config: ${file}`);
    let orders = 0;
    let up = 0;
    for (let i = 0; i < WAIT_SECONDS && !(orders > 0 && up > 0) && !stop.requested(); i++) {
      await Promise.race([new Promise((r) => setTimeout(r, 1000)), stop.wait]);
      orders = await query(stack.url, 'orders_total');
      up = await query(stack.url, 'up{job="signet"}');
    }
    const arrived = orders > 0 && up > 0;
    const writes = stack.log.list().filter((r) => r.path.endsWith('/api/v1/remote_write'));
    const verified = writes.filter((r) => r.status < 300 && r.signature === 'verified').length;
    const refused = writes.length - verified;
    if (!arrived) {
      console.log(
        stop.requested()
          ? 'Stopped before samples arrived.'
          : `✗ no samples arrived within ${WAIT_SECONDS} seconds; see the log above and signet doctor`,
      );
      return 1;
    }
    console.log(
      `✓ delivered: ${orders} orders_total series (scraped from the signed API Gateway page) and the agent's own up series, in ${verified} signed remote_write request(s) to the local AMP endpoint, signatures verified${refused ? ` (${refused} refused)` : ''}`,
    );
    if (values.once) {
      console.log(
        '--once: signet local and the agent are stopped now, so the URLs above no longer answer; run `signet demo` without --once to keep them up and look around.',
      );
      return 0;
    }
    console.log('  Look (AMP wants signed queries, so ask through signet sign):');
    console.log(
      `    AWS_ACCESS_KEY_ID=${DEMO_ACCESS_KEY_ID} AWS_SECRET_ACCESS_KEY=${DEMO_SECRET_ACCESS_KEY} \\`,
    );
    console.log(
      `      npx signet sign --region us-east-1 --service aps '${stack.url}/workspaces/ws-demo/api/v1/query?query=orders_total'`,
    );
    console.log(`    ${stack.url}/_signet/requests (every request and its verification verdict)`);
    console.log(`    ${agent.server.url}/metrics (Signet's own metrics)`);
    console.log('Running; Ctrl-C to stop.');
    await stop.wait;
    return 0;
  } finally {
    for (const step of undo) await step();
  }
}
