/**
 * The command-line flags `signet run` and `signet config check` share, in
 * Grafana Agent's spelling (`-config.file=FILE`, one dash or two, as Go's flag
 * package takes them). Grafana Agent flags with a meaning here are honoured;
 * those that would mean something Signet does not do are refused by name.
 */
import { parseArgs } from 'node:util';
import type { LoadOptions } from '../config/agent/load.js';
import { formatProblem, type ConfigFileError } from '../config/yaml/config-error.js';
import { UsageError } from './usage-error.js';

export const AGENT_FLAGS_USAGE = `  -config.file FILE            the configuration (also --config.file)
  -config.expand-env           expand \${VAR} and \${VAR:-default} in the file; a
                               variable that is not set and has no default is an error
  -config.file.type yaml       the file's format; yaml is the only one
  -server.http.address H:P     where the HTTP server listens; overrides
                               server.http_listen_address and http_listen_port
  --allow-unimplemented        run with keys Signet does not implement (e.g.
                               ec2_sd_configs), as warnings; without it they are errors
  -disable-reporting           accepted: Signet sends no usage reports`;

/** Grafana Agent's experimental features, and why none of them can be accepted quietly. */
const FEATURES: Readonly<Record<string, string>> = {
  'remote-configs': 'Signet reads -config.file from a local path only',
  'integrations-next': 'Signet runs no integrations',
  'dynamic-config': 'Signet has no dynamic configuration; use one static-mode file',
  'extra-scrape-metrics': 'Signet does not produce the extra scrape_* series',
  'agent-management': 'Signet does not fetch configuration from agent management',
};

export interface AgentFlags {
  readonly file: string | undefined;
  readonly help: boolean;
  readonly load: LoadOptions;
}

const BOOLEANS = ['config.expand-env', 'allow-unimplemented', 'disable-reporting'];

/**
 * `-config.file=x` → `--config.file=x`, and Go's `-flag=true|false` for
 * booleans; `-h` and positionals stay as they are.
 */
function goStyle(argv: readonly string[]): string[] {
  return argv.flatMap((arg) => {
    const a = /^-[A-Za-z][\w.-]+/.test(arg) ? `-${arg}` : arg;
    const m = /^--([\w.-]+)=(true|false)$/.exec(a);
    if (m && BOOLEANS.includes(m[1]!)) return m[2] === 'true' ? [`--${m[1]}`] : [];
    return [a];
  });
}

function parseListenAddress(text: string): { address: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:[\]]*):(\d{1,5})$/.exec(text);
  const port = Number(m?.[2]);
  if (!m || port > 65535)
    throw new UsageError(`-server.http.address '${text}' is not HOST:PORT`, {
      hint: 'e.g. -server.http.address=0.0.0.0:12345 (or [::]:12345)',
    });
  const host = m[1]!.replace(/^\[(.*)\]$/, '$1');
  // Go's net.Listen takes an empty host as every interface.
  return { address: host === '' ? '0.0.0.0' : host, port };
}

function refuseFeatures(list: readonly string[]): void {
  for (const name of list.flatMap((v) => v.split(',')).map((v) => v.trim())) {
    if (name === '') continue;
    const why = FEATURES[name];
    throw new UsageError(
      why
        ? `-enable-features=${name}: ${why}`
        : `-enable-features: '${name}' is not a Grafana Agent feature Signet knows`,
      { hint: 'remove -enable-features; Signet runs static mode as it is' },
    );
  }
}

export function parseAgentFlags(
  argv: readonly string[],
  command: 'run' | 'config check',
): AgentFlags {
  let parsed;
  try {
    parsed = parseArgs({
      args: goStyle(argv),
      allowPositionals: command === 'config check',
      options: {
        'config.file': { type: 'string' },
        'config.expand-env': { type: 'boolean' },
        'config.file.type': { type: 'string' },
        'server.http.address': { type: 'string' },
        'server.grpc.address': { type: 'string' },
        'enable-features': { type: 'string', multiple: true },
        'allow-unimplemented': { type: 'boolean' },
        'disable-reporting': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    const message = String((error as Error).message).split('. ')[0]!;
    const option = /'--?([^']+)'/.exec(message)?.[1];
    // Named as the user wrote it (one dash or two), not as it was rewritten for parseArgs.
    const given = argv.find((a) => a.replace(/^--?/, '').split('=')[0] === option);
    throw new UsageError(
      option && /^Unknown option/.test(message)
        ? `unknown option '${given ?? `-${option}`}'`
        : message,
      { hint: `run \`signet help ${command === 'run' ? 'run' : 'config'}\`` },
    );
  }
  const { values, positionals } = parsed;
  const extra = values['config.file'] !== undefined ? positionals : positionals.slice(1);
  if (extra.length > 0)
    throw new UsageError(`${command} takes one FILE; '${extra.join(' ')}' is one too many`, {
      hint: 'check one file at a time',
    });
  if (values['server.grpc.address'] !== undefined)
    throw new UsageError('Signet has no gRPC server; remove -server.grpc.address', {
      hint: 'the HTTP server (-server.http.address) serves /metrics, /-/reload and the agent API',
    });
  const type = values['config.file.type'];
  if (type !== undefined && type !== 'yaml')
    throw new UsageError(
      `-config.file.type=${type}: ${type === 'dynamic' ? 'Signet has no dynamic configuration' : `'${type}' is not a file type`}`,
      { hint: 'give a static-mode YAML file and -config.file.type=yaml, or leave the flag out' },
    );
  refuseFeatures(values['enable-features'] ?? []);
  const address = values['server.http.address'];
  return {
    file: values['config.file'] ?? positionals[0],
    help: values.help ?? false,
    load: {
      expandEnv: values['config.expand-env'] ?? false,
      allowUnimplemented: values['allow-unimplemented'] ?? false,
      ...(address !== undefined ? { httpListen: parseListenAddress(address) } : {}),
    },
  };
}

/** Every problem on its own line, `file:line:col: key.path: message (what to do)`. */
export function printProblems(file: string, error: ConfigFileError): void {
  for (const p of error.problems) process.stderr.write(`${formatProblem(file, p)} (${p.hint})\n`);
}
