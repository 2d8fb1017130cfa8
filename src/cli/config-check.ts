/** `signet config check FILE`: the checks `signet run` makes before it starts, without starting anything. */
import { validateAgentConfig } from '../config/agent/validate.js';
import { ConfigFileError, formatProblem } from '../config/yaml/config-error.js';
import { AGENT_FLAGS_USAGE, parseAgentFlags, printProblems } from './agent-flags.js';
import { UsageError } from './usage-error.js';

export const CONFIG_USAGE = `Usage: signet config check [options] FILE

Validates a Grafana Agent static-mode file with exactly the checks \`signet run\`
makes before it starts (the same function), so a file check passes is one run
accepts: every problem with file:line:column, key path and what to do. Relabel
rules are compiled, targets checked, and the signing region of every sigv4 or
aws_auth block found from the file, AWS_REGION or the profile; check does not
ask the instance metadata service (IMDS), which run would on EC2.

Options (as for signet run):
${AGENT_FLAGS_USAGE}

Exit status: 0 when the file is valid (warnings allowed), 1 when it is not, 2 for a bad command line.`;

export async function runConfig(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'check')
    throw new UsageError(sub ? `unknown config command '${sub}'` : 'config needs a command', {
      hint: 'run `signet config check FILE`',
    });
  const flags = parseAgentFlags(rest, 'config check');
  if (flags.help) {
    console.log(CONFIG_USAGE);
    return 0;
  }
  const file = flags.file;
  if (!file)
    throw new UsageError('config check needs a FILE', { hint: 'signet config check agent.yaml' });
  try {
    const { config, warnings } = await validateAgentConfig(file, { ...flags.load, imds: false });
    for (const w of warnings)
      process.stderr.write(`warning: ${formatProblem(file, w)} (${w.hint})\n`);
    const jobs = config.instances.reduce((n, i) => n + i.jobs.length, 0);
    const writes = new Set(config.instances.flatMap((i) => i.remoteWrite.map((r) => r.file.url)))
      .size;
    console.log(
      `${file}: valid (${config.instances.length} instance(s), ${jobs} scrape job(s), ${writes} remote_write endpoint(s))`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    printProblems(file, error);
    return 1;
  }
}
