/**
 * The moving parts of `npm run soak`, all real: `signet local` and `signet run`
 * as child processes, a counter target on 127.0.0.1 whose value is its scrape
 * number, and reads of what AMP stored — signed by the AWS SDK's own signer
 * (@smithy/signature-v4), never by Signet's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export const SIGNET_BIN = fileURLToPath(new URL('../../../bin/signet.js', import.meta.url));
export const METRIC = 'soak_scrape_number';
export const WORKSPACE = 'ws-soak';
/** AWS's documentation keys, which `signet local` accepts by default. */
export const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * A Prometheus target serving `soak_scrape_number N` for its N-th scrape, so
 * every value must arrive exactly once. Frozen, it answers 503 and serves no
 * value, so the set of values served stops growing while the agent drains.
 */
export class CounterTarget {
  served = 0;
  frozen = false;
  private constructor(
    private readonly server: Server,
    readonly address: string,
  ) {}

  static async start(): Promise<CounterTarget> {
    const holder: { target?: CounterTarget } = {};
    const server = createServer((_req, res) => {
      const self = holder.target!;
      if (self.frozen) {
        res.writeHead(503).end();
        return;
      }
      const n = ++self.served;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(`# TYPE ${METRIC} counter\n${METRIC} ${n}\n`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const target = new CounterTarget(server, `127.0.0.1:${port}`);
    holder.target = target;
    return target;
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }
}

/** A child process whose output goes to a log file; `stop` sends a signal and waits. */
export class Child {
  private readonly exited: Promise<number | null>;
  private constructor(
    readonly process: ChildProcess,
    private readonly log: WriteStream,
  ) {
    this.exited = new Promise((r) => process.once('exit', (code) => r(code)));
  }

  static spawn(args: string[], env: NodeJS.ProcessEnv, logFile: string): Child {
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(process.execPath, [SIGNET_BIN, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    return new Child(child, log);
  }

  async stop(signal: NodeJS.Signals): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null)
      this.process.kill(signal);
    await this.exited;
    this.log.end();
  }
}

/** `signet local` on a fixed port with a data directory, so a restart keeps what AMP stored. */
export class LocalAmp {
  private child: Child | undefined;
  constructor(
    readonly port: number,
    private readonly dataDir: string,
    private readonly logFile: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['local', '--port', String(this.port), '--data-dir', this.dataDir];
    this.child = Child.spawn(args, { PATH: process.env.PATH ?? '' }, this.logFile);
    await waitUntil('signet local to listen', async () => {
      try {
        return (await fetch(`${this.url}/_signet/faults`)).ok;
      } catch {
        return false;
      }
    });
  }

  /** SIGTERM: it closes its connections and writes what it accepted to the data directory. */
  async stop(): Promise<void> {
    await this.child?.stop('SIGTERM');
    this.child = undefined;
  }

  async fault(rule: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${this.url}/_signet/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'aps', ...rule }),
    });
    if (!res.ok) throw new Error(`POST /_signet/faults: ${res.status} ${await res.text()}`);
  }

  /**
   * Remote writes this run of `signet local` refused or cut (status ≥ 400 or a
   * reset), from its request log (GET /_signet/requests, the last 1,000).
   */
  async refusedWrites(): Promise<number> {
    const res = await fetch(`${this.url}/_signet/requests`);
    const body = (await res.json()) as {
      requests: { operation?: string; status: number; errorCode?: string }[];
    };
    return body.requests.filter(
      (r) => r.operation === 'RemoteWrite' && (r.status >= 400 || r.errorCode !== undefined),
    ).length;
  }

  /** What remote write brought to the workspace (GET /_signet/aps/stats). */
  async stats(): Promise<{ received: number; repeated: number; stored: number }> {
    const res = await fetch(`${this.url}/_signet/aps/stats`);
    const body = (await res.json()) as {
      workspaces: Record<
        string,
        { samples_received: number; samples_repeated: number; samples_stored: number }
      >;
    };
    const ws = body.workspaces[WORKSPACE];
    return {
      received: ws?.samples_received ?? 0,
      repeated: ws?.samples_repeated ?? 0,
      stored: ws?.samples_stored ?? 0,
    };
  }

  /**
   * Every value of the counter AMP stored between `fromMs` and `toMs`, read
   * back through query_range at a 1 ms step (so each stored sample is a point),
   * in windows under Prometheus's 11,000-point cap.
   */
  async storedValues(fromMs: number, toMs: number): Promise<Set<number>> {
    const values = new Set<number>();
    const windowMs = 10_000;
    for (let start = Math.floor(fromMs); start <= toMs; start += windowMs + 1) {
      const end = Math.min(start + windowMs, Math.ceil(toMs));
      const query = new URLSearchParams({
        query: METRIC,
        start: (start / 1000).toFixed(3),
        end: (end / 1000).toFixed(3),
        step: '0.001',
      });
      const path = `/workspaces/${WORKSPACE}/api/v1/query_range`;
      const headers = await signedGet(this.port, path, query);
      const res = await fetch(`${this.url}${path}?${query.toString()}`, { headers });
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data?: { result: { values: [number, string][] }[] };
      };
      if (body.status !== 'success') throw new Error(`query_range: ${res.status} ${body.error}`);
      for (const series of body.data?.result ?? [])
        for (const [, value] of series.values) values.add(Number(value));
    }
    return values;
  }
}

async function signedGet(
  port: number,
  path: string,
  query: URLSearchParams,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: 'aps',
    region: 'us-east-1',
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
    sha256: Hash.bind(null, 'sha256'),
  });
  const request = new HttpRequest({
    method: 'GET',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port,
    path,
    query: Object.fromEntries(query),
    headers: { host: `127.0.0.1:${port}` },
  });
  return (await signer.sign(request)).headers;
}

export interface AgentSettings {
  readonly region: string;
  readonly remoteTimeout: string;
}

/** `signet run` on a config file under its own HOME, whose shared credentials file the soak rewrites. */
export class AgentProcess {
  readonly home: string;
  readonly configFile: string;
  readonly httpPort: number;
  private child: Child | undefined;

  constructor(
    private readonly dir: string,
    private readonly ampPort: number,
    private readonly targetAddress: string,
    httpPort: number,
  ) {
    this.home = join(dir, 'home');
    this.configFile = join(dir, 'agent.yaml');
    this.httpPort = httpPort;
    mkdirSync(join(this.home, '.aws'), { recursive: true });
  }

  writeCredentials(secretAccessKey: string): void {
    writeFileSync(
      join(this.home, '.aws', 'credentials'),
      `[default]\naws_access_key_id = ${ACCESS_KEY_ID}\naws_secret_access_key = ${secretAccessKey}\n`,
    );
  }

  writeConfig(settings: AgentSettings): void {
    writeFileSync(
      this.configFile,
      `server: { log_level: info, http_listen_address: 127.0.0.1, http_listen_port: ${this.httpPort} }
metrics:
  wal_directory: ${join(this.dir, 'wal')}
  global: { scrape_interval: 250ms, scrape_timeout: 200ms }
  configs:
    - name: soak
      scrape_configs:
        - job_name: counter
          static_configs: [{ targets: ['${this.targetAddress}'] }]
      remote_write:
        - name: amp
          url: http://127.0.0.1:${this.ampPort}/workspaces/${WORKSPACE}/api/v1/remote_write
          remote_timeout: ${settings.remoteTimeout}
          sigv4: { region: ${settings.region} }
          # Only the counter: AMP's counts then speak of its samples alone.
          write_relabel_configs:
            - { source_labels: [__name__], regex: ${METRIC}, action: keep }
          queue_config: { batch_send_deadline: 100ms, min_backoff: 50ms, max_backoff: 1s }
`,
    );
  }

  start(): void {
    this.child = Child.spawn(
      ['run', `-config.file=${this.configFile}`],
      { PATH: process.env.PATH ?? '', HOME: this.home, AWS_EC2_METADATA_DISABLED: 'true' },
      join(this.dir, 'agent.log'),
    );
  }

  async stop(signal: NodeJS.Signals): Promise<void> {
    await this.child?.stop(signal);
    this.child = undefined;
  }

  /** POST /-/reload; throws unless the agent says it reloaded. */
  async reload(): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${this.httpPort}/-/reload`, { method: 'POST' });
    if (!res.ok) throw new Error(`/-/reload: ${res.status} ${await res.text()}`);
  }
}

/** Polls `check` every 100 ms until it is true, for at most `timeoutMs`; false on timeout. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
  mustSucceed = true,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  if (mustSucceed) throw new Error(`timed out waiting for ${what}`);
  return false;
}
