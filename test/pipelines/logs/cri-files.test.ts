/**
 * Interop with the kubelet's log files (issue 12, "Done when"): files laid
 * out as the kubelet lays them out (`/var/log/pods/<namespace>_<pod>_<uid>/
 * <container>/<restart>.log`) and formatted as it writes them (CRI: `<time>
 * <stream> <tag> <message>`, the time in Go's RFC3339Nano, which drops
 * trailing zeros of the fraction), tailed by `signet run` with the `cri`
 * stage. Each entry must reach the Loki receiver once, in order, with the
 * message as its line, `stream` as a label and the original nanosecond
 * timestamp. Lines are written both before the agent starts and while it runs.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LokiReceiver } from '../../helpers/loki-receiver.js';
import { logsConfig, startLogsAgent } from '../../helpers/logs-agent.js';

const BASE_NS = 1_796_292_000_000_000_000n; // 2026-12-03T10:00:00Z

/** Go's time.RFC3339Nano in UTC: the fraction without trailing zeros, none at all when zero. */
function rfc3339Nano(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = String(ns % 1_000_000_000n)
    .padStart(9, '0')
    .replace(/0+$/, '');
  const iso = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${iso}${fraction ? `.${fraction}` : ''}Z`;
}

interface Written {
  readonly ns: bigint;
  readonly stream: 'stdout' | 'stderr';
  readonly message: string;
}

/** Line i of a container: timestamps with every fraction length, both streams, varied text. */
function entry(container: string, i: number): Written {
  // Steps of 1 s, 100 ms, 10 µs, 1 ns … so some fractions are whole seconds and some need 9 digits.
  const steps = [1_000_000_000n, 100_000_000n, 10_000n, 1n, 123_456_789n];
  const ns = BASE_NS + BigInt(i) * 1_000_000_000n + steps[i % steps.length]! * BigInt(i % 3);
  const stream = i % 4 === 3 ? 'stderr' : 'stdout';
  const message =
    i % 7 === 0
      ? `{"level":"info","msg":"request ${i} done","path":"/api/items?id=${i}","container":"${container}"}`
      : `${container} line ${i}: tab\there, unicode ünïcödé ✓, trailing spaces  `;
  return { ns, stream, message };
}

describe('logs: kubelet-style CRI files tailed with the cri stage', () => {
  it('each entry arrives once, in order, as its message with stream and the original timestamp', async () => {
    const root = mkdtempSync(join(tmpdir(), 'signet-cri-'));
    const receiver = await LokiReceiver.start();
    const containers = [
      { dir: 'default_web-6b7c9d-x2x9q_0f3e2d1c-aaaa-4bbb-8ccc-000000000001/app', name: 'app' },
      {
        dir: 'kube-system_coredns-5d78c9869d-abcde_0f3e2d1c-aaaa-4bbb-8ccc-000000000002/coredns',
        name: 'coredns',
      },
    ].map(({ dir, name }) => {
      mkdirSync(join(root, 'pods', dir), { recursive: true });
      return { path: join(root, 'pods', dir, '0.log'), name, written: [] as Written[] };
    });
    const write = (from: number, count: number) => {
      for (const c of containers) {
        let text = '';
        for (let i = from; i < from + count; i++) {
          const e = entry(c.name, i);
          c.written.push(e);
          text += `${rfc3339Nano(e.ns)} ${e.stream} F ${e.message}\n`;
        }
        appendFileSync(c.path, text);
      }
    };
    write(0, 250);
    const dir = join(root, 'agent');
    const agent = await startLogsAgent(
      dir,
      logsConfig({
        dir,
        clientUrl: receiver.url,
        jobs: [
          {
            name: 'pods',
            path: join(root, 'pods', '*', '*', '*.log'),
            labels: { job: 'kubernetes-pods' },
            stages: [{ cri: {} }],
          },
        ],
      }),
    );
    try {
      for (let round = 0; round < 5; round++) {
        write(250 + round * 50, 50);
        await new Promise((r) => setTimeout(r, 200));
      }
      const total = containers.reduce((n, c) => n + c.written.length, 0);
      const deadline = Date.now() + 30_000;
      while (receiver.entries < total && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 1000)); // a late duplicate would show up
      assert.equal(
        receiver.entries,
        total,
        `received ${receiver.entries} of ${total}:\n${agent.log().slice(-3000)}`,
      );

      for (const c of containers) {
        for (const stream of ['stdout', 'stderr'] as const) {
          const expected = c.written.filter((e) => e.stream === stream);
          const got = receiver.linesOf({ filename: c.path, stream });
          for (const { labels } of got)
            assert.deepEqual(labels, { job: 'kubernetes-pods', filename: c.path, stream });
          assert.deepEqual(
            got.map(({ entry: e }) => ({ ns: e.timestampNs, line: e.line })),
            expected.map((e) => ({ ns: e.ns, line: e.message })),
            `${c.name} ${stream}`,
          );
        }
      }
    } finally {
      await agent.stop();
      await receiver.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('rfc3339Nano writes what Go writes', () => {
    assert.equal(rfc3339Nano(BASE_NS), '2026-12-03T10:00:00Z');
    assert.equal(rfc3339Nano(BASE_NS + 100_000_000n), '2026-12-03T10:00:00.1Z');
    assert.equal(rfc3339Nano(BASE_NS + 10_000n), '2026-12-03T10:00:00.00001Z');
    assert.equal(rfc3339Nano(BASE_NS + 123_456_789n), '2026-12-03T10:00:00.123456789Z');
  });
});
