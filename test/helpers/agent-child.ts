/**
 * A real `signet run` in a child process scraping one local page, for what
 * only a whole process shows: its peak memory (VmHWM from /proc) and whether
 * its HTTP server answers while a large page is parsed. Used by
 * test/sources/scrape/bad-input.test.ts and bench/bad-input.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIGNET_BIN } from './run-cli.js';

/** An HTTP server on 127.0.0.1 answering every request with the same text-format page. */
export class PageTarget {
  private constructor(
    private readonly server: Server,
    readonly address: string,
    private readonly counter: { requests: number },
  ) {}

  /** How many times the page was asked for. */
  get requests(): number {
    return this.counter.requests;
  }

  static async start(page: Buffer): Promise<PageTarget> {
    const counter = { requests: 0 };
    const server = createServer((_req, res) => {
      counter.requests++;
      res.writeHead(200, {
        'content-type': 'text/plain; version=0.0.4',
        'content-length': String(page.length),
      });
      res.end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new PageTarget(server, `127.0.0.1:${port}`, counter);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface ChildAgent {
  readonly pid: number;
  /** The agent's own HTTP server, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Everything it logged so far. */
  log(): string;
  /** VmHWM and VmRSS from /proc/<pid>/status, in KiB. */
  memoryKiB(): { peak: number; now: number };
  stop(): Promise<number | null>;
}

/**
 * Starts `signet run` scraping `target` every `interval` with the scrape
 * settings given as YAML lines (e.g. `sample_limit: 10`), no remote write.
 */
export async function startChildAgent(
  target: string,
  options: { interval?: string; timeout?: string; scrapeSettings?: string } = {},
): Promise<ChildAgent> {
  const dir = mkdtempSync(join(tmpdir(), 'signet-child-'));
  const file = join(dir, 'agent.yaml');
  const interval = options.interval ?? '60s';
  writeFileSync(
    file,
    `server: { log_level: info, http_listen_address: 127.0.0.1, http_listen_port: 0 }
metrics:
  wal_directory: ${join(dir, 'wal')}
  global: { scrape_interval: ${interval}, scrape_timeout: ${options.timeout ?? interval} }
  configs:
    - name: big
      scrape_configs:
        - job_name: big
          static_configs: [{ targets: ['${target}'] }]
${(options.scrapeSettings ?? '')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => `          ${l}\n`)
  .join('')}`,
  );
  const child = spawn(process.execPath, [SIGNET_BIN, 'run', `-config.file=${file}`], {
    env: { PATH: process.env.PATH ?? '', HOME: dir, AWS_EC2_METADATA_DISABLED: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: string[] = [];
  child.stderr.on('data', (c: Buffer) => lines.push(c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const stop = async (): Promise<number | null> => {
    child.kill('SIGTERM');
    const code = await exited;
    rmSync(dir, { recursive: true, force: true });
    return code;
  };
  let url: string | undefined;
  for (let i = 0; i < 200 && url === undefined; i++) {
    url = /Signet is running.*?url"?[=:]"?(http:\/\/[\d.]+:\d+)/.exec(lines.join(''))?.[1];
    if (url === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  if (url === undefined || child.pid === undefined) {
    await stop();
    throw new Error(`signet run did not start:\n${lines.join('')}`);
  }
  const pid = child.pid;
  return {
    pid,
    url,
    log: () => lines.join(''),
    memoryKiB: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
      return { peak: kib('VmHWM'), now: kib('VmRSS') };
    },
    stop,
  };
}

/** A text-format page of `series` counters with two labels (~45 bytes a line). */
export function seriesPage(series: number): Buffer {
  const lines: string[] = ['# TYPE big_total counter\n'];
  for (let i = 0; i < series; i++) lines.push(`big_total{id="${i}",shard="${i % 16}"} ${i}\n`);
  return Buffer.from(lines.join(''));
}

/** A page of `bytes` of `# HELP` lines (distinct families, long texts) and one sample each 100. */
export function helpPage(bytes: number, helpChars = 400): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `# HELP fam_${i} ${'h'.repeat(helpChars)} ${i}\n${i % 100 === 0 ? `fam_${i} 1\n` : ''}`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join(''));
}
