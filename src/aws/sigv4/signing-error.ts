import { SignetError } from '../../errors.js';

/** A request or option the signer cannot sign; `hint` says what to change. */
export class SigningError extends SignetError {}
