import { ConfigFileError } from '../../config/yaml/config-error.js';

export type { ConfigProblem } from '../../config/yaml/config-error.js';

/**
 * A `--config` file signet local cannot use. The message names the file,
 * line:column and key path of the first problem; `problems` lists them all so
 * the CLI can print every one instead of making the user fix them one by one.
 */
export class LocalConfigError extends ConfigFileError {}
