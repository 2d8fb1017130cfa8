import { SignetError } from '../../errors.js';

/** A CloudWatch Logs client option AWS would refuse, named by its key path. */
export class CloudWatchLogsConfigError extends SignetError {}
