/**
 * Why a server could not listen, in plain words with what to do, instead of
 * Node's `listen EADDRINUSE: address already in use 127.0.0.1:4579`.
 */
import { SignetError } from '../errors.js';

export class ListenError extends SignetError {
  constructor(
    message: string,
    readonly code: string,
    readonly address: string,
    readonly port: number,
    hint: string,
    cause: unknown,
  ) {
    super(message, { hint, cause });
  }
}

/**
 * The error to throw for a failed `listen`: a ListenError naming the address,
 * the port and what to do for the failures a user can fix; anything else as is.
 * `what` names the server ("signet local"); `otherPort` says how to pick
 * another port ("pass --port N, or 0 for a free one").
 */
export function listenError(
  error: Error,
  what: string,
  address: string,
  port: number,
  otherPort: string,
): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${address.includes(':') ? `[${address}]` : address}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new ListenError(
        `${what} cannot listen on ${where}: something else is already using port ${port}`,
        code,
        address,
        port,
        `find what holds it with \`ss -ltnp 'sport = :${port}'\` and stop it, or ${otherPort}`,
        error,
      );
    case 'EACCES':
      return new ListenError(
        `${what} cannot listen on ${where}: permission denied`,
        code,
        address,
        port,
        `ports below 1024 need privileges; ${otherPort}`,
        error,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new ListenError(
        `${what} cannot listen on ${where}: ${address} is not an address of this machine`,
        code,
        address,
        port,
        'use one it has, e.g. 127.0.0.1',
        error,
      );
    default:
      return error;
  }
}
