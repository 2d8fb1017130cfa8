/**
 * `match`: runs nested `stages` only for entries whose labels and line pass
 * a LogQL `selector` (`action: keep`, the default), or drops those entries
 * (`action: drop`, no stages; counted in `logentry_dropped_lines_total
 * {reason=<drop_counter_reason>}`, default `match_stage`). Entries that do
 * not match pass on unchanged. With `pipeline_name`, the nested stages' time
 * per entry is observed in `logentry_pipeline_duration_seconds{job_name}`.
 */
import { StageRunner } from '../runner.js';
import {
  StageConfigError,
  type CompiledStage,
  type CompiledStages,
  type Stage,
  type StageFactory,
  type StageOutput,
} from '../types.js';
import { droppedLinesCounter, pipelineDuration } from './drop-counter.js';
import { SelectorSyntaxError, parseSelector } from './selector.js';
import { ConfigReader } from './values.js';

const KEYS = ['selector', 'stages', 'action', 'drop_counter_reason', 'pipeline_name'];

/** Runs the nested stages; what they pass on or drop goes to the `out` of the latest call. */
class KeepMatch implements Stage {
  private downstream: StageOutput | undefined;
  private readonly nested: StageRunner;

  constructor(
    private readonly matches: (labels: Record<string, string>, line: string) => boolean,
    nested: CompiledStages,
    run: ConstructorParameters<typeof StageRunner>[1],
    /** With `pipeline_name`: how long the nested stages take per entry. */
    private readonly timed: { observe(seconds: number): void } | undefined,
  ) {
    this.nested = new StageRunner(nested, run, {
      output: (entry) => this.downstream!.output(entry),
      discard: (entry, reason) => this.downstream!.discard(entry, reason),
    });
  }

  process(entry: Parameters<Stage['process']>[0], out: StageOutput): void {
    this.downstream = out;
    if (!this.matches(entry.labels, entry.line)) {
      out.output(entry);
      return;
    }
    if (this.timed === undefined) return this.nested.push(entry);
    const began = performance.now();
    this.nested.push(entry);
    this.timed.observe((performance.now() - began) / 1000);
  }

  held(): number {
    return this.nested.held();
  }

  flush(out: StageOutput): void {
    this.downstream = out;
    this.nested.flush();
  }

  stop(): void {
    // The outer runner has flushed already; nothing the nested stages hold is left to pass on.
    if (this.downstream === undefined) this.downstream = { output: () => {}, discard: () => {} };
    this.nested.stop();
  }
}

export const matchStage: StageFactory = (config, context): CompiledStage => {
  const cfg = ConfigReader.of(config, context.path, 'match', KEYS);
  const pipelineName = cfg.string('pipeline_name');
  if (pipelineName === '')
    throw new StageConfigError(
      cfg.at('pipeline_name'),
      'match stage pipeline name can be omitted but cannot be an empty string',
      'remove pipeline_name or give it a name',
    );
  const selectorText = cfg.string('selector') ?? '';
  if (selectorText === '')
    throw new StageConfigError(
      cfg.at('selector'),
      'selector statement required for match stage',
      `write a LogQL stream selector, e.g. selector: '{app="nginx"} |= "debug"'`,
    );
  const action = cfg.string('action') || 'keep';
  if (action !== 'keep' && action !== 'drop')
    throw new StageConfigError(
      cfg.at('action'),
      "match stage action should be 'keep' or 'drop'",
      'write action: keep or action: drop',
    );
  const rawStages = cfg.raw('stages');
  if (rawStages !== undefined && rawStages !== null && !Array.isArray(rawStages))
    throw new StageConfigError(
      cfg.at('stages'),
      'must be a list of stages',
      'write stages: as a list, e.g. "- static_labels: {…}"',
    );
  const stageList: readonly unknown[] = Array.isArray(rawStages) ? rawStages : [];
  if (action === 'keep' && stageList.length === 0)
    throw new StageConfigError(
      cfg.at('stages'),
      "match stage requires at least one additional stage to be defined in '- stages'",
      'add the stages to run on matching entries, or write action: drop to drop them',
    );
  if (action === 'drop' && stageList.length > 0)
    throw new StageConfigError(
      cfg.at('stages'),
      'match stage configured to drop entries cannot contain stages',
      'remove stages, or use action: keep',
    );
  let selector;
  try {
    selector = parseSelector(selectorText);
  } catch (err) {
    if (!(err instanceof SelectorSyntaxError)) throw err;
    throw new StageConfigError(
      cfg.at('selector'),
      `invalid selector syntax for match stage: ${err.message}`,
      'write {label="value", …} followed by optional line filters |= "text", != "text", |~ "re", !~ "re"; strings in double quotes',
      err,
    );
  }
  const matches = (labels: Record<string, string>, line: string): boolean =>
    selector.matches(labels, line);
  const given = cfg.weakString('drop_counter_reason');
  const reason = given === undefined || given === '' ? 'match_stage' : given;

  if (action === 'drop') {
    const discard = { kind: 'dropped', reason } as const;
    return {
      name: 'match',
      create: (run) => {
        const dropped = droppedLinesCounter(run.registry).labels(reason);
        return {
          process(entry, out) {
            if (!matches(entry.labels, entry.line)) return out.output(entry);
            dropped.inc();
            out.discard(entry, discard);
          },
        };
      },
    };
  }
  const nested = context.compileNested(stageList, cfg.at('stages'));
  return {
    name: 'match',
    create: (run) =>
      new KeepMatch(
        matches,
        nested,
        run,
        pipelineName === undefined
          ? undefined
          : pipelineDuration(run.registry).labels(pipelineName),
      ),
  };
};
