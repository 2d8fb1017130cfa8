import { SignetError } from '../../errors.js';

/** An S3 client option that cannot work (or that S3 would refuse), named by its key path. */
export class S3ConfigError extends SignetError {}
