/** `signet run -config.file=FILE`: the agent, in the foreground until SIGTERM or SIGINT. */
import { Agent } from '../agent/agent.js';
import { loadAgentConfig } from '../config/agent/load.js';
import { validateAgentConfig } from '../config/agent/validate.js';
import { ConfigFileError } from '../config/yaml/config-error.js';
import { AGENT_FLAGS_USAGE, parseAgentFlags, printProblems } from './agent-flags.js';
import { UsageError } from './usage-error.js';

export const RUN_USAGE = `Usage: signet run -config.file=FILE [-config.expand-env] [options]

Runs the agent with a Grafana Agent static-mode file: scrapes the targets,
writes every sample to the WAL in wal_directory, and remote-writes them,
signing AWS endpoints with SigV4. SIGHUP or a request to /-/reload re-reads
the file and applies it without losing data (a file with errors is refused
and the running configuration stays). Stops cleanly on SIGTERM or SIGINT.

Before starting, the file gets exactly the checks of \`signet config check\`
(with the same flags), and the signing region may also come from IMDS.

Options:
${AGENT_FLAGS_USAGE}`;

export async function runAgent(argv: string[]): Promise<number> {
  const flags = parseAgentFlags(argv, 'run');
  if (flags.help) {
    console.log(RUN_USAGE);
    return 0;
  }
  const file = flags.file;
  if (!file)
    throw new UsageError('-config.file is required', {
      hint: 'signet run -config.file=agent.yaml',
    });
  let loaded;
  try {
    loaded = await validateAgentConfig(file, { ...flags.load, imds: true });
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    printProblems(file, error);
    return 1;
  }
  // The stop signals are taken before the agent starts: /-/ready answers during the start,
  // and a SIGTERM right after it (a quick rollout) must stop the agent cleanly, not kill it.
  let stopSignal: string | undefined;
  let wake: (() => void) | undefined;
  const onStopSignal = (signal: string): void => {
    stopSignal ??= signal;
    wake?.();
  };
  const onTerm = (): void => onStopSignal('SIGTERM');
  const onInt = (): void => onStopSignal('SIGINT');
  process.once('SIGTERM', onTerm);
  process.once('SIGINT', onInt);
  let agent: Agent;
  try {
    agent = await Agent.start(loaded.config, loaded.warnings, {
      // A reload gets the same file checks; the region is resolved again as the queues start.
      loadConfig: () => loadAgentConfig(file, flags.load),
    });
  } catch (error) {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    throw error;
  }
  const onHangUp = (): void => {
    agent.log.info({ signal: 'SIGHUP' }, 'reloading the configuration');
    void agent.reload();
  };
  process.on('SIGHUP', onHangUp);
  await new Promise<void>((resolve) => {
    if (stopSignal !== undefined) resolve();
    else wake = resolve;
  });
  agent.log.info({ signal: stopSignal }, 'stopping: finishing scrapes and sending what is queued');
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
