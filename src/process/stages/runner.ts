/**
 * Runs compiled stages for one stream of entries (one tailed target): each
 * stage hands what it passes on to the next, and the last to the runner's
 * output. Stages run synchronously, so entries keep their order unless a
 * stage holds some back (multiline), as Promtail's do.
 */
import type { LogLabels } from '../../model/log-entry.js';
import type { CompiledStages, Stage, StageEntry, StageOutput, StageRunContext } from './types.js';

export class StageRunner {
  private readonly stages: Stage[];
  private readonly outputs: StageOutput[];

  constructor(compiled: CompiledStages, context: StageRunContext, out: StageOutput) {
    this.stages = compiled.stages.map((stage) => stage.create(context));
    // outputs[i] is what stage i hands its entries to.
    this.outputs = new Array<StageOutput>(this.stages.length);
    for (let i = this.stages.length - 1; i >= 0; i--) {
      const next = i + 1 < this.stages.length ? this.stages[i + 1]! : undefined;
      const nextOut = i + 1 < this.stages.length ? this.outputs[i + 1]! : out;
      this.outputs[i] = next
        ? {
            output: (entry) => next.process(entry, nextOut),
            discard: (entry, reason) => out.discard(entry, reason),
          }
        : out;
    }
    this.out = out;
  }

  private readonly out: StageOutput;

  /**
   * Runs one entry through every stage. As Promtail's pipeline does, the
   * entry's labels are first copied into its extracted map, so stages can
   * read them by name (`source: filename`, `pack: {labels: [pod]}`).
   */
  push(entry: StageEntry): void {
    for (const name in entry.labels) entry.extracted[name] = entry.labels[name];
    if (this.stages.length === 0) this.out.output(entry);
    else this.stages[0]!.process(entry, this.outputs[0]!);
  }

  /** Passes on whatever stages hold, first to last, so held entries still see the later stages. */
  flush(): void {
    for (let i = 0; i < this.stages.length; i++) this.stages[i]!.flush?.(this.outputs[i]!);
  }

  /** Entries the stages hold back, nested ones included. */
  held(): number {
    let held = 0;
    for (const stage of this.stages) held += stage.held?.() ?? 0;
    return held;
  }

  /** Flushes, then stops every stage's timers. */
  stop(): void {
    this.flush();
    for (const stage of this.stages) stage.stop?.();
  }
}

/** A fresh entry as a source reads it, for the runner. */
export function stageEntry(
  labels: LogLabels,
  line: string,
  timestampNs: bigint,
  origin: unknown,
): StageEntry {
  return {
    labels: { ...labels },
    line,
    timestampNs,
    structuredMetadata: {},
    extracted: {},
    origin,
  };
}
