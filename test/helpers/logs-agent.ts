/**
 * `signet run` with a `logs:` block, as a child process: for the logs
 * interop tests (rsyslog, kubelet-style files) and bench/logs. The config is
 * written in Grafana Agent static mode's schema (src/config/agent/logs-schema.ts);
 * the child's CPU time and memory are read from /proc, as `top` would.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNET_BIN } from './run-cli.js';

export interface LogsJobSpec {
  readonly name: string;
  /** `__path__`: a doublestar glob. */
  readonly path: string;
  /** Static labels besides `__path__` (e.g. `job`). */
  readonly labels?: Record<string, string>;
  /** `pipeline_stages` as Promtail writes them (e.g. `[{ cri: {} }]`). */
  readonly stages?: readonly unknown[];
}

export interface LogsConfigSpec {
  /** Where positions (and, with `wal`, the logs WAL) live. */
  readonly dir: string;
  readonly clientUrl: string;
  readonly jobs: readonly LogsJobSpec[];
  /** Turns on the logs WAL (`wal_config: { dir }`). */
  readonly wal?: boolean;
  readonly batchwait?: string;
  readonly batchsize?: number;
  readonly syncPeriod?: string;
  readonly positionsSyncPeriod?: string;
  readonly minPoll?: string;
  readonly maxPoll?: string;
  /** Extra client keys (e.g. `backoff_config`). */
  readonly client?: Record<string, unknown>;
  readonly logLevel?: string;
}

/**
 * The agent's config as a user writes it. JSON is YAML, so values are
 * written with JSON.stringify and nothing needs YAML quoting rules.
 */
export function logsConfig(spec: LogsConfigSpec): string {
  const j = (v: unknown) => JSON.stringify(v);
  const client = {
    url: spec.clientUrl,
    batchwait: spec.batchwait ?? '100ms',
    ...(spec.batchsize !== undefined ? { batchsize: spec.batchsize } : {}),
    ...spec.client,
  };
  const config = {
    server: {
      log_level: spec.logLevel ?? 'info',
      http_listen_address: '127.0.0.1',
      http_listen_port: 0,
    },
    logs: {
      positions_directory: join(spec.dir, 'positions'),
      global: {
        file_watch_config: {
          min_poll_frequency: spec.minPoll ?? '50ms',
          max_poll_frequency: spec.maxPoll ?? '250ms',
        },
      },
      configs: [
        {
          name: 'default',
          clients: [client],
          positions: { sync_period: spec.positionsSyncPeriod ?? '1s' },
          target_config: { sync_period: spec.syncPeriod ?? '1s' },
          ...(spec.wal ? { wal_config: { dir: join(spec.dir, 'wal') } } : {}),
          scrape_configs: spec.jobs.map((job) => ({
            job_name: job.name,
            ...(job.stages ? { pipeline_stages: job.stages } : {}),
            static_configs: [
              { targets: ['localhost'], labels: { ...job.labels, __path__: job.path } },
            ],
          })),
        },
      ],
    },
  };
  return `${j(config)}\n`;
}

let clockTicks: number | undefined;
/** USER_HZ, the unit of utime/stime in /proc/<pid>/stat (100 on Linux builds we know of). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim();
    clockTicks = out && /^\d+$/.test(out) ? Number(out) : 100;
  }
  return clockTicks;
}

/** User + system CPU time of a process so far, in ms (/proc/<pid>/stat fields 14 and 15). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond();
}

/** VmRSS and VmHWM of a process, in KiB. */
export function memoryKiBOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

export interface LogsAgent {
  readonly pid: number;
  /** The agent's own HTTP server (metrics at /metrics). */
  readonly url: string;
  readonly configFile: string;
  /** Everything it logged so far. */
  log(): string;
  cpuMs(): number;
  memoryKiB(): { rss: number; peak: number };
  /** Its /metrics page. */
  metrics(): Promise<string>;
  /** Sends `signal` (SIGTERM: a clean stop) and resolves with the exit code or signal. */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
}

/** Writes `config` to `<dir>/agent.yaml` and starts `signet run` on it; resolves once it runs. */
export async function startLogsAgent(
  dir: string,
  config: string,
  options: { env?: Record<string, string>; nodeArgs?: readonly string[] } = {},
): Promise<LogsAgent> {
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'agent.yaml');
  writeFileSync(configFile, config);
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), SIGNET_BIN, 'run', `-config.file=${configFile}`],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        AWS_EC2_METADATA_DISABLED: 'true',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const chunks: string[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  let done = false;
  void exited.then(() => (done = true));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (!done) child.kill(signal);
    return exited;
  };
  let url: string | undefined;
  for (let i = 0; i < 400 && url === undefined && !done; i++) {
    url = /Signet is running.*?url"?[=:]\s*"?(http:\/\/[\d.]+:\d+)/.exec(chunks.join(''))?.[1];
    if (url === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  if (url === undefined || child.pid === undefined) {
    await stop('SIGKILL');
    throw new Error(`signet run did not start (config ${configFile}):\n${chunks.join('')}`);
  }
  const pid = child.pid;
  const agentUrl = url;
  return {
    pid,
    url: agentUrl,
    configFile,
    log: () => chunks.join(''),
    cpuMs: () => cpuMsOf(pid),
    memoryKiB: () => memoryKiBOf(pid),
    metrics: async () => (await fetch(`${agentUrl}/metrics`)).text(),
    stop,
  };
}

/** The value of one sample on a Prometheus text page (summed over label sets matching `labels`). */
export function metricValue(
  page: string,
  name: string,
  labels: Record<string, string> = {},
): number {
  let sum = 0;
  for (const line of page.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{'))
      continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
