import { SignetError } from '../errors.js';
import { CONFIG_USAGE, runConfig } from './config-check.js';
import { RUN_USAGE, runAgent } from './run.js';
import { DEMO_USAGE, runDemoCommand } from './demo.js';
import { DOCTOR_USAGE, runDoctor } from './doctor.js';
import { LOCAL_USAGE, runLocal } from './local.js';
import { runSign, SIGN_USAGE } from './sign.js';
import { UsageError } from './usage-error.js';
import { SIGNET_VERSION } from '../version.js';

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
  return SIGNET_VERSION;
}

const HELP_USAGE = `Usage: signet help [COMMAND]

Shows the list of commands, or one command's options (also: signet COMMAND --help).`;

const VERSION_USAGE = `Usage: signet version

Prints Signet's version (also: signet --version).`;

const COMMAND_USAGE: Readonly<Record<string, string>> = {
  sign: SIGN_USAGE,
  demo: DEMO_USAGE,
  run: RUN_USAGE,
  config: CONFIG_USAGE,
  doctor: DOCTOR_USAGE,
  local: LOCAL_USAGE,
  help: HELP_USAGE,
  version: VERSION_USAGE,
};

/** Every command `signet help` lists, in its order: tests check each has its own help. */
export const COMMANDS: readonly string[] = Object.keys(COMMAND_USAGE);

const HELP_FLAGS = new Set(['--help', '-h', '-help']);

/** `--help` anywhere before `--`: `signet config check --help` asks for help too. */
function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (HELP_FLAGS.has(arg)) return true;
  }
  return false;
}

function helpFor(topic: string | undefined): string {
  if (topic === undefined) return USAGE;
  const usage = Object.hasOwn(COMMAND_USAGE, topic) ? COMMAND_USAGE[topic] : undefined;
  if (usage === undefined) {
    throw new UsageError(`no command '${topic}'`, {
      hint: `run \`signet help\` for the list: ${COMMANDS.join(', ')}`,
    });
  }
  return usage;
}

/**
 * A reader that stops reading (`signet local --demo | head -1`) closes the pipe;
 * the next write fails with EPIPE. Like a shell tool killed by SIGPIPE, the
 * command then ends at once and says nothing: there is no one left to tell.
 */
function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

/** Runs a command line; returns the exit status. Errors become one line on stderr, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  endQuietlyWhenStdoutCloses();
  try {
    if (command !== undefined && Object.hasOwn(COMMAND_USAGE, command) && asksForHelp(rest)) {
      console.log(COMMAND_USAGE[command]);
      return 0;
    }
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
      case '-h':
        console.log(helpFor(rest[0]));
        return 0;
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
