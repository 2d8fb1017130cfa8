import { readFileSync } from 'node:fs';
import { SignetError } from '../errors.js';
import { CONFIG_USAGE, runConfig } from './config-check.js';
import { RUN_USAGE, runAgent } from './run.js';
import { DEMO_USAGE, runDemoCommand } from './demo.js';
import { DOCTOR_USAGE, runDoctor } from './doctor.js';
import { LOCAL_USAGE, runLocal } from './local.js';
import { runSign, SIGN_USAGE } from './sign.js';
import { UsageError } from './usage-error.js';

const USAGE = `Signet: a telemetry agent that signs every AWS request with SigV4.

Usage: signet <command> [options]

Commands:
  sign      Send a SigV4-signed HTTP request, or explain how one is signed
  demo      Run Signet end to end against signet local: no AWS account needed
  run       Run the agent: signet run -config.file=agent.yaml (Grafana Agent static mode)
  config    Check a Grafana Agent static-mode file as run would (signet config check FILE)
  doctor    Check credentials, identity, clock and each AWS destination (if given), in plain words
  local     Serve strict local AWS endpoints that verify every signature
  help      Show this help, or a command's (signet help sign)
  version   Print Signet's version`;

function version(): string {
  const pkg = JSON.parse(
    readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return pkg.version;
}

const COMMAND_USAGE: Record<string, string> = {
  sign: SIGN_USAGE,
  local: LOCAL_USAGE,
  doctor: DOCTOR_USAGE,
  config: CONFIG_USAGE,
  run: RUN_USAGE,
  demo: DEMO_USAGE,
};

/** Runs a command line; returns the exit status. Errors become one line on stderr, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'sign':
        return await runSign(rest);
      case 'local':
        return await runLocal(rest);
      case 'doctor':
        return await runDoctor(rest);
      case 'config':
        return await runConfig(rest);
      case 'run':
        return await runAgent(rest);
      case 'demo':
        return await runDemoCommand(rest);
      case 'version':
      case '--version':
        console.log(version());
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h': {
        const topic = rest[0];
        console.log(topic && COMMAND_USAGE[topic] ? COMMAND_USAGE[topic] : USAGE);
        return 0;
      }
      default:
        throw new UsageError(`unknown command '${command}'`, {
          hint: 'run `signet help` for the list',
        });
    }
  } catch (error) {
    if (error instanceof SignetError) {
      process.stderr.write(
        `signet ${command ?? ''}: ${error.toUserString()}\n`.replace('signet : ', 'signet: '),
      );
      return error instanceof UsageError ? 2 : 1;
    }
    // An error we did not foresee: still one line, and the cause for a bug report.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `signet ${command ?? ''}: unexpected error: ${message} (please report this)\n`,
    );
    return 1;
  }
}
