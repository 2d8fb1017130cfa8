/** `signet run -config.file=FILE`: the agent, in the foreground until SIGTERM or SIGINT. */
import { parseArgs } from 'node:util';
import { Agent } from '../agent/agent.js';
import { loadAgentConfig } from '../config/agent/load.js';
import { ConfigFileError, formatProblem } from '../config/yaml/config-error.js';
import { UsageError } from './usage-error.js';

export const RUN_USAGE = `Usage: signet run -config.file=FILE [-config.expand-env]

Runs the agent with a Grafana Agent static-mode file: scrapes the targets,
writes every sample to the WAL in wal_directory, and remote-writes them,
signing AWS endpoints with SigV4. SIGHUP or a request to /-/reload re-reads
the file and applies it without losing data (a file with errors is refused
and the running configuration stays). Stops cleanly on SIGTERM or SIGINT.

Options:
  -config.file FILE     the configuration (also --config.file)
  -config.expand-env    expand \${VAR} and \${VAR:-default} in the file`;

export async function runAgent(argv: string[]): Promise<number> {
  const args = argv.map((a) => (/^-config\./.test(a) ? `-${a}` : a));
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        'config.file': { type: 'string' },
        'config.expand-env': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(String((error as Error).message).split('. ')[0]!, {
      hint: 'run `signet help run`',
    });
  }
  if (values.help) {
    console.log(RUN_USAGE);
    return 0;
  }
  const file = values['config.file'];
  if (!file)
    throw new UsageError('-config.file is required', {
      hint: 'signet run -config.file=agent.yaml',
    });
  let loaded;
  try {
    loaded = loadAgentConfig(file, { expandEnv: Boolean(values['config.expand-env']) });
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    for (const p of error.problems) process.stderr.write(`${formatProblem(file, p)} (${p.hint})\n`);
    return 1;
  }
  const expandEnv = Boolean(values['config.expand-env']);
  const agent = await Agent.start(loaded.config, loaded.warnings, {
    loadConfig: () => loadAgentConfig(file, { expandEnv }),
  });
  const onHangUp = (): void => {
    agent.log.info({ signal: 'SIGHUP' }, 'reloading the configuration');
    void agent.reload();
  };
  process.on('SIGHUP', onHangUp);
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      agent.log.info({ signal }, 'stopping: finishing scrapes and sending what is queued');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  process.off('SIGHUP', onHangUp);
  // Kubernetes kills after 30 s by default: stop well within the bound, leaving
  // what could not be sent in the WAL for the next start.
  const boundMs = loaded.config.file.server.graceful_shutdown_timeout;
  const started = Date.now();
  const deadline = setTimeout(() => {
    agent.log.error(
      { graceful_shutdown_timeout_ms: boundMs },
      'stopping took longer than server.graceful_shutdown_timeout; exiting now (unsent data stays in the WAL)',
    );
    process.exit(1);
  }, boundMs);
  deadline.unref();
  await agent.stop(Math.floor(boundMs / 2));
  clearTimeout(deadline);
  agent.log.info({ took_ms: Date.now() - started }, 'stopped');
  return 0;
}
