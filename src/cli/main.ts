import { SignetError } from '../errors.js';
import { UsageError } from './usage-error.js';
import { buildInfo } from '../agent/build-info.js';
import { SIGNET_VERSION } from '../version.js';

const USAGE = `Signet: a telemetry agent that signs every AWS request with SigV4.

Usage: signet <command> [options]

Commands:
  sign      Send a SigV4-signed HTTP request, or explain how one is signed
  demo      Run Signet end to end against signet local: no AWS account needed
  run       Run the agent: signet run -config.file=agent.yaml (Grafana Agent static mode)
  config    Check a Grafana Agent static-mode file as run would (signet config check FILE)
  doctor    Check credentials, identity, clock and each AWS destination (if given), in plain words
  iam-policy  Print the least-privilege IAM policy a config needs (signet iam-policy -config.file=FILE)
  local     Serve strict local AWS endpoints that verify every signature
  help      Show this help, or a command's (signet help sign)
  version   Print Signet's version and commit`;

/** `signet 0.1.0 (commit 0123456789ab, branch main)`: what a bug report needs. */
function version(): string {
  const { revision, branch } = buildInfo();
  const commit = /^[0-9a-f]{40,64}$/.test(revision) ? revision.slice(0, 12) : revision;
  return `signet ${SIGNET_VERSION} (commit ${commit}${branch === 'unknown' ? '' : `, branch ${branch}`})`;
}

const HELP_USAGE = `Usage: signet help [COMMAND]

Shows the list of commands, or one command's options (also: signet COMMAND --help).`;

const VERSION_USAGE = `Usage: signet version

Prints Signet's version and the git commit it was built from (also:
signet --version).`;

interface Command {
  readonly usage: string;
  readonly run?: (args: string[]) => Promise<number>;
}

/**
 * Each command's module is loaded when that command runs: `signet run` does not
 * carry signet local's AWS services, doctor or the demo in its heap (about
 * 10 MB of code and source text an agent would hold for its whole life).
 */
const COMMAND_LOADERS: Readonly<Record<string, () => Promise<Command>>> = {
  sign: async () => {
    const m = await import('./sign.js');
    return { usage: m.SIGN_USAGE, run: m.runSign };
  },
  demo: async () => {
    const m = await import('./demo.js');
    return { usage: m.DEMO_USAGE, run: m.runDemoCommand };
  },
  run: async () => {
    const m = await import('./run.js');
    return { usage: m.RUN_USAGE, run: m.runAgent };
  },
  config: async () => {
    const m = await import('./config-check.js');
    return { usage: m.CONFIG_USAGE, run: m.runConfig };
  },
  doctor: async () => {
    const m = await import('./doctor.js');
    return { usage: m.DOCTOR_USAGE, run: m.runDoctor };
  },
  'iam-policy': async () => {
    const m = await import('./iam-policy.js');
    return { usage: m.IAM_POLICY_USAGE, run: (args) => m.runIamPolicy(args) };
  },
  local: async () => {
    const m = await import('./local.js');
    return { usage: m.LOCAL_USAGE, run: m.runLocal };
  },
  help: () => Promise.resolve({ usage: HELP_USAGE }),
  version: () => Promise.resolve({ usage: VERSION_USAGE }),
};

/** Every command `signet help` lists, in its order: tests check each has its own help. */
export const COMMANDS: readonly string[] = Object.keys(COMMAND_LOADERS);

function loaderOf(command: string): (() => Promise<Command>) | undefined {
  return Object.hasOwn(COMMAND_LOADERS, command) ? COMMAND_LOADERS[command] : undefined;
}

const HELP_FLAGS = new Set(['--help', '-h', '-help']);

/** `--help` anywhere before `--`: `signet config check --help` asks for help too. */
function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (HELP_FLAGS.has(arg)) return true;
  }
  return false;
}

async function helpFor(topic: string | undefined): Promise<string> {
  if (topic === undefined) return USAGE;
  const load = loaderOf(topic);
  if (load === undefined) {
    throw new UsageError(`no command '${topic}'`, {
      hint: `run \`signet help\` for the list: ${COMMANDS.join(', ')}`,
    });
  }
  return (await load()).usage;
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
    const load = command === undefined ? undefined : loaderOf(command);
    if (load && asksForHelp(rest)) {
      console.log((await load()).usage);
      return 0;
    }
    const runCommand = load && (await load()).run;
    if (runCommand) return await runCommand(rest);
    switch (command) {
      case 'version':
      case '--version':
        console.log(version());
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(await helpFor(rest[0]));
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
