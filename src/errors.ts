/**
 * The base of every error Signet raises on purpose. `hint` tells the user what
 * to do about it; messages and hints never carry secrets.
 */
export class SignetError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }

  /** One line for a terminal: what is wrong, then what to do. */
  toUserString(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}
