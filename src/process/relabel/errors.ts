import { SignetError } from '../../errors.js';

/**
 * A relabel rule Prometheus would refuse at config load (or one Signet cannot
 * run the same way). `path` is the key path of the offending field, such as
 * `scrape_configs[0].relabel_configs[2].regex`; the message starts with it.
 */
export class RelabelConfigError extends SignetError {
  readonly path: string;

  constructor(path: string, problem: string, hint: string, cause?: unknown) {
    super(`${path}: ${problem}`, { hint, cause });
    this.path = path;
  }
}
