/**
 * `sampling`: keeps each entry with probability `rate` (0 to 1) and drops the
 * rest, counted in `logentry_dropped_lines_total{reason=<drop_counter_reason>}`
 * (default `sampling_stage`).
 */
import { StageConfigError, type CompiledStage, type StageFactory } from '../types.js';
import { droppedLinesCounter } from './drop-counter.js';
import { ConfigReader } from './values.js';

export const samplingStage: StageFactory = (config, context): CompiledStage => {
  const cfg = ConfigReader.of(config, context.path, 'sampling', ['rate', 'drop_counter_reason']);
  const rate = cfg.number('rate');
  // Promtail would read a missing rate as 0 and drop everything; that is never what is meant.
  if (rate === undefined)
    throw new StageConfigError(
      cfg.at('rate'),
      'is required',
      'write the share of entries to keep, e.g. rate: 0.1 for one in ten',
    );
  if (rate < 0 || rate > 1)
    throw new StageConfigError(
      cfg.at('rate'),
      `sampling rate must be between 0.0 and 1.0, received ${rate}`,
      'write the share of entries to keep, e.g. 0.1 for one in ten',
    );
  const given = cfg.weakString('drop_counter_reason');
  const reason = given === undefined || given === '' ? 'sampling_stage' : given;
  return {
    name: 'sampling',
    create: (run) => {
      const dropped = droppedLinesCounter(run.registry).labels(reason);
      const discard = { kind: 'limited', reason } as const;
      return {
        process(entry, out) {
          // Math.random() is in [0, 1): rate 1 keeps all, rate 0 keeps none, as Promtail's boundary does.
          if (Math.random() < rate) {
            out.output(entry);
            return;
          }
          dropped.inc();
          out.discard(entry, discard);
        },
      };
    },
  };
};
