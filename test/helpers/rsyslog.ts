/**
 * Debian's rsyslogd and logrotate as real peers for the logs tests: an
 * rsyslogd child in a temp dir (its own config, work directory and pid file;
 * the system's rsyslog is never touched) receiving numbered messages over TCP
 * (RFC 5425 octet-counted RFC 5424 frames) and writing each as one line to
 * `<logDir>/<name>.log`, and logrotate run on that file with its own state
 * file, in both styles users configure: `create` (rename, new file, SIGHUP so
 * rsyslogd reopens) and `copytruncate` (copy, then truncate in place).
 * Works as root and as an ordinary user: nothing needs a privileged port or
 * a system path.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const RSYSLOGD = '/usr/sbin/rsyslogd';
export const LOGROTATE = '/usr/sbin/logrotate';

/** The RFC 5424 APP-NAME of the test's messages; rsyslogd writes only these to the log file. */
const APP_NAME = 'signet-test';

export type RotationStyle = 'create' | 'copytruncate';

/** The message numbered `seq`: its number first (fixed width), then a payload. */
export function messageText(seq: number, payload = 'the quick brown fox'): string {
  return `seq=${String(seq).padStart(8, '0')} ${payload}`;
}

/** The number in a line written from messageText (anywhere in the line), or undefined. */
export function seqOf(line: string): number | undefined {
  const match = /seq=(\d{8})/.exec(line);
  return match ? Number(match[1]) : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => T | undefined,
  detail: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms. ${detail()}`);
    await sleep(20);
  }
}

export interface RsyslogOptions {
  /** The log file's base name, `app` by default: `<logDir>/app.log`. */
  readonly name?: string;
}

export class RsyslogPeer {
  private socket: Socket | undefined;
  private stderr = '';
  private readonly exited: Promise<void>;
  private rotations = 0;
  private listening = 0;

  private constructor(
    /** The temp dir holding everything (removed by stop). */
    readonly root: string,
    /** Only the log file and its rotated copies live here. */
    readonly logDir: string,
    /** The file rsyslogd writes: `<logDir>/<name>.log`. */
    readonly file: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    child.stderr?.on('data', (c: Buffer) => (this.stderr += c.toString()));
  }

  /** The TCP port imtcp listens on, on 127.0.0.1. */
  get port(): number {
    return this.listening;
  }

  get pid(): number {
    return this.child.pid!;
  }

  static async start(options: RsyslogOptions = {}): Promise<RsyslogPeer> {
    const root = mkdtempSync(join(tmpdir(), 'signet-rsyslog-'));
    const logDir = join(root, 'logs');
    const workDir = join(root, 'work');
    mkdirSync(logDir);
    mkdirSync(workDir);
    const file = join(logDir, `${options.name ?? 'app'}.log`);
    const portFile = join(root, 'port');
    const conf = join(root, 'rsyslog.conf');
    // One main-queue worker keeps the messages of one connection in order.
    // Port 0 lets the kernel pick a free port, which imtcp writes to portFile.
    // The test's messages go to the log file as "<RFC 3339 time> <msg>";
    // rsyslogd's own messages (start, "was HUPed") go to internal.log, not
    // to journald (Debian's build sends them there unless told otherwise).
    writeFileSync(
      conf,
      `global(workDirectory="${workDir}" processInternalMessages="on")
main_queue(queue.workerThreads="1")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="${portFile}")
template(name="numbered" type="string" string="%timereported:::date-rfc3339% %msg:::drop-last-lf%\\n")
if $app-name == "${APP_NAME}" then {
  action(type="omfile" file="${file}" template="numbered")
} else {
  action(type="omfile" file="${join(root, 'internal.log')}")
}
`,
    );
    const child = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', join(root, 'rsyslogd.pid')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const peer = new RsyslogPeer(root, logDir, file, child);
    try {
      peer.listening = await until(
        'rsyslogd writing its port',
        10_000,
        () => {
          if (child.exitCode !== null) throw new Error(`rsyslogd exited: ${peer.stderr}`);
          const text = existsSync(portFile) ? readFileSync(portFile, 'utf8').trim() : '';
          return /^\d+$/.test(text) ? Number(text) : undefined;
        },
        () => peer.stderr,
      );
      return peer;
    } catch (error) {
      await peer.stop();
      throw error;
    }
  }

  private async connection(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = connect(this.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.on('error', () => undefined); // surfaced by the next write
    this.socket = socket;
    return socket;
  }

  /**
   * Sends messages `from` … `from + count - 1` (messageText) over one TCP
   * connection, in order, `batch` frames a write with `pauseMs` between
   * writes (0: as fast as the socket takes them).
   */
  async send(
    from: number,
    count: number,
    pacing: { batch?: number; pauseMs?: number; payload?: string } = {},
  ): Promise<void> {
    const socket = await this.connection();
    const batch = pacing.batch ?? 100;
    for (let start = from; start < from + count; start += batch) {
      const frames: string[] = [];
      for (let seq = start; seq < Math.min(from + count, start + batch); seq++) {
        const msg = `<14>1 ${new Date().toISOString()} localhost ${APP_NAME} - - - ${messageText(seq, pacing.payload)}`;
        frames.push(`${Buffer.byteLength(msg)} ${msg}`);
      }
      const flushed = socket.write(frames.join(''));
      if (!flushed) await new Promise((r) => socket.once('drain', r));
      if (pacing.pauseMs) await sleep(pacing.pauseMs);
    }
  }

  /** The log file and its rotated copies, oldest first (`app.log.3`, `app.log.2`, …, `app.log`). */
  files(): string[] {
    const base = this.file.slice(this.logDir.length + 1);
    const rotated = readdirSync(this.logDir)
      .map((name) => ({ name, n: Number(name.slice(base.length + 1)) }))
      .filter(({ name, n }) => name.startsWith(`${base}.`) && Number.isInteger(n) && n > 0)
      .sort((a, b) => b.n - a.n)
      .map(({ name }) => join(this.logDir, name));
    return existsSync(this.file) ? [...rotated, this.file] : rotated;
  }

  /** The message numbers in one file, in the order they were written. */
  static seqsIn(path: string): number[] {
    const seqs: number[] = [];
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const seq = seqOf(line);
      if (seq !== undefined) seqs.push(seq);
    }
    return seqs;
  }

  /** Every message number written so far, oldest file first. */
  written(): number[] {
    return this.files().flatMap((f) => RsyslogPeer.seqsIn(f));
  }

  /** Waits until rsyslogd has written message `seq` (and, one connection being in order, all before it). */
  async waitForWritten(seq: number, timeoutMs = 10_000): Promise<void> {
    await until(
      `rsyslogd writing message ${seq}`,
      timeoutMs,
      () => (this.written().includes(seq) ? true : undefined),
      () => `stderr: ${this.stderr}`,
    );
  }

  private hupCount(): number {
    const internal = join(this.root, 'internal.log');
    if (!existsSync(internal)) return 0;
    return readFileSync(internal, 'utf8').split('was HUPed').length - 1;
  }

  /**
   * Rotates the log file with logrotate (forced, its own state file), keeping
   * every rotated copy uncompressed. `create`: the file is renamed to `.1`
   * (older copies shifted), a new one created, and rsyslogd sent SIGHUP in
   * postrotate; resolves once rsyslogd has logged the HUP, so messages sent
   * afterwards land in the new file. `copytruncate`: copied to `.1`, then
   * truncated; rsyslogd keeps writing (its file is opened for appending).
   */
  async rotate(style: RotationStyle): Promise<void> {
    const conf = join(this.root, `logrotate-${style}.conf`);
    const huped = this.hupCount();
    const postrotate =
      style === 'create' ? `  postrotate\n    kill -HUP ${this.pid}\n  endscript\n` : '';
    writeFileSync(
      conf,
      `${this.file} {\n  rotate 100000\n  ${style}\n  missingok\n  ifempty\n  nocompress\n${postrotate}}\n`,
      { mode: 0o644 },
    );
    try {
      await promisify(execFile)(LOGROTATE, ['-s', join(this.root, 'logrotate.state'), '-f', conf]);
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`logrotate (${style}) failed: ${stderr || String(error)}`);
    }
    this.rotations++;
    if (style === 'create') {
      await until('rsyslogd logging its HUP', 10_000, () =>
        this.hupCount() > huped ? true : undefined,
      );
    }
  }

  /** How many times rotate() ran. */
  get rotated(): number {
    return this.rotations;
  }

  /** Stops rsyslogd (SIGTERM) and removes the temp dir unless `keep`. */
  async stop(options: { keep?: boolean } = {}): Promise<void> {
    this.socket?.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
    if (!options.keep) rmSync(this.root, { recursive: true, force: true });
  }
}
