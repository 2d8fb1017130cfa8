/** Problems in a configuration file, located by line, column and key path. */
import { SignetError } from '../../errors.js';

/** A problem found while checking the parsed data, before it is located in the file. */
export interface ConfigIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly hint?: string;
  /** Point at the key itself (an unknown key), not at its value. */
  readonly atKey?: boolean;
}

/** One problem, located as precisely as the parser allows. */
export interface ConfigProblem {
  readonly line?: number;
  readonly column?: number;
  /** `metrics.configs[0].remote_write[1].url`; empty for the file as a whole. */
  readonly keyPath: string;
  readonly message: string;
  readonly hint: string;
}

/** `file:line:col: key.path: message` */
export function formatProblem(file: string, p: ConfigProblem): string {
  const where = [file, p.line, p.column].filter((x) => x !== undefined).join(':');
  return `${where}: ${p.keyPath ? `${p.keyPath}: ` : ''}${p.message}`;
}

/**
 * A configuration file that cannot be used. The message names the first
 * problem; `problems` lists all, so the CLI can print every one at once.
 */
export class ConfigFileError extends SignetError {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super(`${first ? formatProblem(file, first) : `${file}: invalid config`}${more}`, {
      hint: first?.hint,
    });
  }
}
