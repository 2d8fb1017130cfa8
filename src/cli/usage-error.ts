import { SignetError } from '../errors.js';

/** A command line Signet cannot act on; exits with status 2. */
export class UsageError extends SignetError {}
