// Shared by the parsing-stage tests: pipelines written as Promtail's YAML, run
// through compileStages and StageRunner, checking the contract on every run.
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import {
  compileStages,
  StageConfigError,
  StageRunner,
  stageEntry,
  type DiscardReason,
  type StageEntry,
  type StageRunContext,
} from '../../../../src/process/stages/index.js';
import { Registry } from 'prom-client';

export const PATH = 'logs.configs[0].scrape_configs[0].pipeline_stages';

export interface Input {
  readonly line: string;
  readonly labels?: Record<string, string>;
  readonly timestampNs?: bigint;
  readonly extracted?: Record<string, unknown>;
}

export interface Discarded {
  readonly entry: StageEntry;
  readonly reason: DiscardReason;
}

/** A runner over `yamlStages` that records what comes out and checks nothing comes out twice. */
export class Harness {
  readonly outputs: StageEntry[] = [];
  readonly discards: Discarded[] = [];
  readonly logs: string[] = [];
  readonly runner: StageRunner;
  private pushed = 0;
  private readonly seen = new Set<unknown>();

  constructor(yamlStages: string, now: () => number = Date.now) {
    const compiled = compileStages(parse(yamlStages) as unknown[], PATH);
    const context: StageRunContext = {
      registry: new Registry(),
      log: (level, message) => this.logs.push(`${level}: ${message}`),
      now,
    };
    this.runner = new StageRunner(compiled, context, {
      output: (entry) => {
        this.settle(entry);
        this.outputs.push(entry);
      },
      discard: (entry, reason) => {
        this.settle(entry);
        this.discards.push({ entry, reason });
      },
    });
  }

  private settle(entry: StageEntry): void {
    assert.ok(!this.seen.has(entry.origin), `entry ${String(entry.origin)} came out twice`);
    this.seen.add(entry.origin);
  }

  push(...inputs: (string | Input)[]): this {
    for (const input of inputs) {
      const i: Input = typeof input === 'string' ? { line: input } : input;
      const entry = stageEntry(i.labels ?? {}, i.line, i.timestampNs ?? 1n, this.pushed++);
      Object.assign(entry.extracted, i.extracted ?? {});
      this.runner.push(entry);
    }
    return this;
  }

  /** Stops the runner and checks every entry pushed came out exactly once. */
  stop(): this {
    this.runner.stop();
    assert.equal(this.seen.size, this.pushed, 'every entry pushed came out once');
    return this;
  }

  lines(): string[] {
    return this.outputs.map((e) => e.line);
  }
}

/** Runs `lines` through the stages and stops; the harness with what came out. */
export function run(yamlStages: string, ...inputs: (string | Input)[]): Harness {
  return new Harness(yamlStages).push(...inputs).stop();
}

/** The single entry that came out of running one input. */
export function runOne(yamlStages: string, input: string | Input): StageEntry {
  const h = run(yamlStages, input);
  assert.equal(h.outputs.length, 1, 'one entry out');
  return h.outputs[0]!;
}

/** The StageConfigError compiling `yamlStages` raises. */
export function configError(yamlStages: string): StageConfigError {
  try {
    compileStages(parse(yamlStages) as unknown[], PATH);
  } catch (err) {
    assert.ok(err instanceof StageConfigError, `expected StageConfigError, got ${String(err)}`);
    assert.ok(err.message.startsWith(`${err.path}: `), 'the message starts with the key path');
    assert.ok(err.hint !== undefined && err.hint.length > 0, 'the error has a hint');
    return err;
  }
  assert.fail('expected the stages to be refused');
}

/**
 * Nanoseconds of an RFC 3339 time, computed without Signet's parser: Date
 * for the whole seconds, the fraction's digits by hand.
 */
export function isoNs(text: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(text);
  assert.ok(m, `not an RFC 3339 time: ${text}`);
  const ms = Date.parse(`${m[1]}${m[3]}`);
  assert.ok(!Number.isNaN(ms), `Date cannot read ${text}`);
  const fraction = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  return BigInt(ms) * 1_000_000n + BigInt(fraction);
}
