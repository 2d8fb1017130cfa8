import { SignetError } from '../../errors.js';

/** One problem in a config file, located as precisely as the parser allows. */
export interface ConfigProblem {
  readonly line?: number;
  readonly column?: number;
  /** `roles[0].trust.external_id`; empty for the file as a whole. */
  readonly keyPath: string;
  readonly message: string;
  readonly hint: string;
}

/**
 * A `--config` file signet local cannot use. The message names the file,
 * line:column and key path of the first problem; `problems` lists them all so
 * the CLI can print every one instead of making the user fix them one by one.
 */
export class LocalConfigError extends SignetError {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    const first = problems[0];
    const where = [file, first?.line, first?.column].filter((p) => p !== undefined).join(':');
    const key = first?.keyPath ? `${first.keyPath}: ` : '';
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super(`${where}: ${key}${first?.message ?? 'invalid config'}${more}`, { hint: first?.hint });
  }
}
