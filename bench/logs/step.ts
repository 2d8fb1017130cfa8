/**
 * One step of bench/logs: a fresh `signet run` tails freshly created
 * kubelet-style files while CriWriter writes them at one rate for a while;
 * its CPU time and RSS come from /proc, what arrived from PushCounter.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logsConfig, startLogsAgent } from '../../test/helpers/logs-agent.js';
import { createPodFiles, podGlob } from './cri-writer.js';
import type { PushCounter } from './push-counter.js';
import { WriterThread } from './writer-thread.js';

export interface StepSpec {
  readonly rate: number;
  /** `pipeline_stages`; empty: none. */
  readonly stages: readonly unknown[];
  readonly files: number;
  readonly durationMs: number;
  /** How long lines written may still take to arrive after the writer stops. */
  readonly drainMs: number;
  readonly wal: boolean;
  /** p99 delay above this (ms) means the agent did not keep up. */
  readonly maxP99Ms: number;
}

export interface StepResult {
  readonly target: number;
  /** Lines a second actually written (below target when the machine starved the writer). */
  readonly offered: number;
  /** The writer wrote less than 95% of the target: the step says nothing about that rate. */
  readonly writerShort: boolean;
  /** Lines a second that arrived while the writer was writing. */
  readonly delivered: number;
  readonly written: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  readonly unmarked: number;
  readonly streams: number;
  readonly cpuMsPer10k: number;
  /** CPU used by the agent over the step, as a share of one core. */
  readonly cores: number;
  readonly rssMiB: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly keptUp: boolean;
  /** The agent's warn and error messages during the step (distinct, first few). */
  readonly agentWarnings: readonly string[];
  readonly agentExit: number | string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runStep(counter: PushCounter, spec: StepSpec): Promise<StepResult> {
  const root = mkdtempSync(join(tmpdir(), 'signet-bench-logs-'));
  try {
    const files = createPodFiles(root, spec.files);
    const perFile = Math.ceil(((spec.rate * spec.durationMs) / 1000 / spec.files) * 1.2) + 1000;
    counter.reset(spec.files, perFile);
    // Promtail's client defaults (batchwait 1s, batchsize 1 MiB) and poll frequency.
    const config = logsConfig({
      dir: join(root, 'agent'),
      clientUrl: counter.url,
      wal: spec.wal,
      batchwait: '1s',
      minPoll: '250ms',
      maxPoll: '250ms',
      jobs: [
        {
          name: 'pods',
          path: podGlob(root),
          labels: { job: 'bench' },
          ...(spec.stages.length ? { stages: spec.stages } : {}),
        },
      ],
    });
    const agent = await startLogsAgent(join(root, 'agent'), config);
    let result: Omit<StepResult, 'agentExit'>;
    try {
      await sleep(1500); // the files are found (target sync_period 1s) and opened
      const writer = new WriterThread(files, spec.rate);
      let rssKiB = 0;
      const sample = () => {
        try {
          rssKiB = Math.max(rssKiB, agent.memoryKiB().rss);
        } catch {
          // exited: its exit code is reported below
        }
      };
      const sampler = setInterval(sample, 250);
      const cpuOrNaN = () => {
        try {
          return agent.cpuMs();
        } catch {
          return NaN; // exited
        }
      };
      const cpu0 = agent.cpuMs();
      const t0 = performance.now();
      await writer.start();
      await sleep(spec.durationMs);
      const totals = await writer.stop();
      const writingMs = performance.now() - t0;
      const arrivedWhileWriting = counter.snapshot().unique;
      const written = totals.lines;
      const drainUntil = performance.now() + spec.drainMs;
      while (counter.snapshot().unique < written && performance.now() < drainUntil)
        await sleep(100);
      await sleep(300); // late duplicates
      const cpuMs = cpuOrNaN() - cpu0;
      const stepMs = performance.now() - t0;
      sample();
      clearInterval(sampler);
      const counts = counter.snapshot();
      const lost = counter.missing(totals.written);
      const p99Ms = counter.delayQuantile(0.99);
      const offered = (written * 1000) / writingMs;
      const writerShort = offered < 0.95 * spec.rate;
      result = {
        target: spec.rate,
        offered,
        writerShort,
        delivered: (arrivedWhileWriting * 1000) / writingMs,
        written,
        lost,
        duplicates: counts.duplicates,
        outOfOrder: counts.outOfOrder,
        unmarked: counts.unmarked,
        streams: counts.streams,
        cpuMsPer10k: counts.unique ? (cpuMs * 10_000) / counts.unique : NaN,
        cores: cpuMs / stepMs,
        rssMiB: rssKiB / 1024,
        p50Ms: counter.delayQuantile(0.5),
        p99Ms,
        // Falling behind shows as arrivals lagging the writer (the last
        // batchwait's worth always arrives after it stops) and a growing delay.
        keptUp:
          !writerShort &&
          lost === 0 &&
          counts.duplicates === 0 &&
          p99Ms <= spec.maxP99Ms &&
          arrivedWhileWriting >= 0.9 * written,
        agentWarnings: [
          ...new Set(
            agent
              .log()
              .split('\n')
              .filter((l) => /level=(warn|error)/.test(l))
              .map((l) => l.replace(/^ts=\S+ /, '').slice(0, 300)),
          ),
        ].slice(0, 3),
      };
    } finally {
      const exit = await agent.stop('SIGTERM');
      if (exit !== 0)
        process.stderr.write(`signet run exited ${exit}:\n${agent.log().slice(-3000)}\n`);
    }
    const agentExit = await agent.stop();
    return { ...result, agentExit, keptUp: result.keptUp && agentExit === 0 };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
