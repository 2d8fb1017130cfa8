// Shared by the filtering stage tests: pipelines written as Promtail users
// write them (YAML), run through the real compiler and runner.
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import {
  StageConfigError,
  StageRunner,
  compileStages,
  stageEntry,
  type DiscardReason,
  type StageEntry,
  type StageRunContext,
} from '../../../../src/process/stages/index.js';

export const PATH = 'logs.configs[0].scrape_configs[0].pipeline_stages';

export interface Input {
  labels?: Record<string, string>;
  line?: string;
  timestampNs?: bigint;
  extracted?: Record<string, unknown>;
}

export interface Harness {
  readonly runner: StageRunner;
  readonly registry: Registry;
  readonly outputs: StageEntry[];
  readonly discards: { entry: StageEntry; reason: DiscardReason }[];
  readonly logs: string[];
  push(input: Input): void;
}

/** Compiles `yaml` (a `pipeline_stages` list) and returns a runner that records what comes out. */
export function pipeline(
  yaml: string,
  options: { registry?: Registry; now?: () => number } = {},
): Harness {
  const compiled = compileStages(parse(yaml) as unknown[], PATH);
  const registry = options.registry ?? new Registry();
  const outputs: StageEntry[] = [];
  const discards: { entry: StageEntry; reason: DiscardReason }[] = [];
  const logs: string[] = [];
  const context: StageRunContext = {
    registry,
    log: (level, message) => logs.push(`${level}: ${message}`),
    now: options.now ?? Date.now,
  };
  const runner = new StageRunner(compiled, context, {
    output: (entry) => outputs.push(entry),
    discard: (entry, reason) => discards.push({ entry, reason }),
  });
  let n = 0;
  return {
    runner,
    registry,
    outputs,
    discards,
    logs,
    push(input) {
      const entry = stageEntry(
        input.labels ?? {},
        input.line ?? '',
        input.timestampNs ?? 1_700_000_000_000_000_000n,
        n++,
      );
      Object.assign(entry.extracted, input.extracted ?? {});
      runner.push(entry);
    },
  };
}

/** Runs one entry; the entry that came out, or the discard reason. */
export function runOne(yaml: string, input: Input): StageEntry | DiscardReason {
  const h = pipeline(yaml);
  h.push(input);
  assert.equal(h.outputs.length + h.discards.length, 1, 'one entry in, one out');
  return h.outputs[0] ?? h.discards[0]!.reason;
}

/** The StageConfigError compiling `yaml` raises. */
export function configError(yaml: string): StageConfigError {
  try {
    compileStages(parse(yaml) as unknown[], PATH);
  } catch (err) {
    assert.ok(err instanceof StageConfigError, `a StageConfigError, not ${String(err)}`);
    assert.ok(err.hint, 'with a hint');
    assert.ok(err.message.startsWith(`${err.path}: `), 'the message starts with the path');
    return err;
  }
  assert.fail(`${yaml} was accepted`);
}

/** The value of one sample line of `registry`'s exposition, or undefined. */
export async function sample(registry: Registry, series: string): Promise<number | undefined> {
  const text = await registry.metrics();
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}
