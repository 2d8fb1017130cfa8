/** `signet config check FILE`: validates a Grafana Agent static-mode file without running it. */
import { parseArgs } from 'node:util';
import { loadAgentConfig } from '../config/agent/load.js';
import { ConfigFileError, formatProblem } from '../config/yaml/config-error.js';
import { UsageError } from './usage-error.js';

export const CONFIG_USAGE = `Usage: signet config check [-config.expand-env] FILE

Validates a Grafana Agent static-mode file: every problem with file:line:column,
key path and what to do; keys Signet does not implement yet are listed as warnings.

Exit status: 0 when the file is valid (warnings allowed), 1 when it is not, 2 for a bad command line.`;

export function runConfig(argv: string[]): number {
  const [sub, ...rest] = argv;
  if (sub !== 'check')
    throw new UsageError(sub ? `unknown config command '${sub}'` : 'config needs a command', {
      hint: 'run `signet config check FILE`',
    });
  const args = rest.map((a) => (/^-config\./.test(a) ? `-${a}` : a));
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { 'config.expand-env': { type: 'boolean' }, 'config.file': { type: 'string' } },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('. ')[0]! : String(error), {
      hint: 'run `signet help config`',
    });
  }
  const { values, positionals } = parsed;
  const file = values['config.file'] ?? positionals[0];
  if (!file)
    throw new UsageError('config check needs a FILE', { hint: 'signet config check agent.yaml' });
  try {
    const { config, warnings } = loadAgentConfig(file, {
      expandEnv: Boolean(values['config.expand-env']),
    });
    for (const w of warnings) process.stderr.write(`warning: ${formatProblem(file, w)}\n`);
    const jobs = config.instances.reduce((n, i) => n + i.jobs.length, 0);
    const writes = new Set(config.instances.flatMap((i) => i.remoteWrite.map((r) => r.file.url)))
      .size;
    console.log(
      `${file}: valid (${config.instances.length} instance(s), ${jobs} scrape job(s), ${writes} remote_write endpoint(s))`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    for (const p of error.problems) process.stderr.write(`${formatProblem(file, p)} (${p.hint})\n`);
    return 1;
  }
}
