/**
 * Interop with real peers (issue 12, "Done when"): Debian's rsyslogd writes
 * numbered messages to a file while Debian's logrotate rotates it, in both
 * styles (`create` + SIGHUP, and `copytruncate`), several times; `signet run`
 * tails `<dir>/*.log` and pushes to a Loki-compatible receiver that is not
 * Signet's code. Every message must arrive exactly once, in order, with the
 * labels Promtail gives a file target (`job` and `filename`). Run with and
 * without the logs WAL, and across a clean restart of the agent.
 *
 * Copytruncate loses what is written between its copy and its truncate
 * (logrotate's window, no tailer can read it), so the sender pauses during
 * those rotations only: until rsyslogd has written every message sent, then
 * logrotate runs, then sending resumes. Lines the agent had not read yet
 * when the file was copied are only in `app.log.1` (which `*.log` does not
 * match): the tailer must recover them from the copy. `create` rotations
 * happen while the sender is writing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { LokiReceiver } from '../../helpers/loki-receiver.js';
import { logsConfig, startLogsAgent, type LogsAgent } from '../../helpers/logs-agent.js';
import { RsyslogPeer, seqOf, type RotationStyle } from '../../helpers/rsyslog.js';
import { checkSequence, describeSequence, isExact, ranges } from './sequence.js';

const ROTATIONS: RotationStyle[] = [
  'create',
  'copytruncate',
  'create',
  'copytruncate',
  'copytruncate',
  'create',
];
const PER_ROUND = 600;
/**
 * ~450 messages a second: a busy syslog, slow enough that a truncated file
 * is still smaller than before when the tailer next looks. rsyslogd takes
 * about a second to act on SIGHUP, so a `create` rotation 120 ms into a round
 * leaves it writing to the renamed file for a while: the tailer must drain it.
 */
const PACING = { batch: 5, pauseMs: 10 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The highest message number received so far. */
function tracker() {
  let highest = 0;
  return {
    onEntry: (_labels: unknown, entry: { line: string }) => {
      highest = Math.max(highest, seqOf(entry.line) ?? 0);
    },
    highest: () => highest,
  };
}

async function waitForReceived(
  seen: () => number,
  seq: number,
  agent: LogsAgent,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (seen() < seq) {
    if (Date.now() > deadline)
      throw new Error(
        `message ${seq} not received within ${timeoutMs} ms (highest: ${seen()}); agent log:\n${agent.log().slice(-4000)}`,
      );
    await sleep(25);
  }
}

async function rotateAndTail(wal: boolean): Promise<void> {
  const peer = await RsyslogPeer.start();
  const seen = tracker();
  const receiver = await LokiReceiver.start({ onEntry: seen.onEntry });
  const dir = mkdtempSync(join(tmpdir(), 'signet-rsyslog-agent-'));
  const config = logsConfig({
    dir,
    clientUrl: receiver.url,
    wal,
    jobs: [{ name: 'rsyslog', path: `${peer.logDir}/*.log`, labels: { job: 'rsyslog' } }],
  });
  let agent = await startLogsAgent(dir, config);
  try {
    // First the file is found (within target_config.sync_period) and read;
    // a file renamed away before the agent ever saw it at the path is not
    // what this test is about.
    await peer.send(1, PER_ROUND, PACING);
    await waitForReceived(seen.highest, PER_ROUND, agent);
    let next = PER_ROUND + 1;
    for (const style of ROTATIONS) {
      const from = next;
      next += PER_ROUND;
      if (style === 'create') {
        const sending = peer.send(from, PER_ROUND, PACING);
        await sleep(120);
        await peer.rotate('create');
        await sending;
      } else {
        await peer.send(from, PER_ROUND, PACING);
        await peer.waitForWritten(next - 1);
        await peer.rotate('copytruncate');
      }
    }
    // A clean restart: lines written while the agent is down are read from its positions.
    await peer.send(next, PER_ROUND, PACING);
    next += PER_ROUND;
    const stopped = await agent.stop('SIGTERM');
    assert.equal(stopped, 0, `signet run stopped with ${stopped}:\n${agent.log().slice(-4000)}`);
    await peer.send(next, PER_ROUND, PACING);
    next += PER_ROUND;
    agent = await startLogsAgent(dir, config);
    await peer.send(next, PER_ROUND, PACING);
    next += PER_ROUND;

    const last = next - 1;
    await peer.waitForWritten(last);
    // rsyslogd and logrotate lost nothing, so anything missing below is the agent's.
    assert.deepEqual(peer.written(), range(1, last));
    assert.equal(peer.files().length, ROTATIONS.length + 1);
    await waitForReceived(seen.highest, last, agent);
    await sleep(1500); // time for a late duplicate to show up

    const received = receiver.linesOf({ job: 'rsyslog' });
    const report = checkSequence(
      received.map(({ entry }) => seqOf(entry.line) ?? -1),
      1,
      last,
    );
    const layout = peer
      .files()
      .map((f) => `${basename(f)}: ${ranges(RsyslogPeer.seqsIn(f))}`)
      .join('; ');
    assert.ok(
      isExact(report),
      `${wal ? 'with' : 'without'} the WAL: ${describeSequence(report)}. Files: ${layout}`,
    );
    assert.equal(receiver.entries, last, 'nothing but the numbered lines was sent');
    for (const { labels } of received)
      assert.deepEqual(labels, { job: 'rsyslog', filename: peer.file });
    assert.deepEqual(receiver.rejected, []);
  } finally {
    await agent.stop('SIGTERM');
    await receiver.close();
    await peer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Copytruncate while rsyslogd keeps writing: lines written between the copy
 * and the truncate are in no file (logrotate's loss), so they may be missing
 * or not; every line a file holds must arrive, once, in order.
 */
async function copytruncateUnderLoad(): Promise<void> {
  const peer = await RsyslogPeer.start();
  const seen = tracker();
  const receiver = await LokiReceiver.start({ onEntry: seen.onEntry });
  const dir = mkdtempSync(join(tmpdir(), 'signet-rsyslog-agent-'));
  const agent = await startLogsAgent(
    dir,
    logsConfig({
      dir,
      clientUrl: receiver.url,
      jobs: [{ name: 'rsyslog', path: `${peer.logDir}/*.log`, labels: { job: 'rsyslog' } }],
    }),
  );
  try {
    await peer.send(1, PER_ROUND, PACING);
    await waitForReceived(seen.highest, PER_ROUND, agent);
    let next = PER_ROUND + 1;
    for (let round = 0; round < 5; round++) {
      const sending = peer.send(next, PER_ROUND, PACING);
      next += PER_ROUND;
      await sleep(150 + round * 100);
      await peer.rotate('copytruncate');
      await sending;
    }
    const last = next - 1;
    await peer.waitForWritten(last);
    const inFiles = new Set(peer.written());
    const inNoFile = range(1, last).filter((seq) => !inFiles.has(seq));
    await waitForReceived(seen.highest, last, agent);
    await sleep(1500);
    const report = checkSequence(
      receiver.linesOf({ job: 'rsyslog' }).map(({ entry }) => seqOf(entry.line) ?? -1),
      1,
      last,
    );
    const lostFromFiles = report.missing.filter((seq) => inFiles.has(seq));
    const detail = `${describeSequence(report)}; logrotate's window: ${ranges(inNoFile) || 'none'}`;
    assert.deepEqual(lostFromFiles, [], detail);
    assert.deepEqual(report.duplicates, [], detail);
    assert.equal(report.firstOutOfOrder, undefined, detail);
  } finally {
    await agent.stop('SIGTERM');
    await receiver.close();
    await peer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('logs: rsyslog writes, logrotate rotates, signet run tails and pushes to Loki', () => {
  it('every message arrives once, in order, with job and filename (entries sent from memory)', () =>
    rotateAndTail(false));

  it('the same with the logs WAL on (wal_config.dir)', () => rotateAndTail(true));

  it('copytruncate while rsyslogd writes: every line a file holds arrives once, in order', () =>
    copytruncateUnderLoad());
});
