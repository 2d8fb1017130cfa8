/** The plain-words hint for an AWS error, by kind. */
import { accessDeniedHint } from './access.js';
import { clockHint } from './clock.js';
import { expiredTokenHint, unknownKeyHint } from './credentials.js';
import type { HintInput } from './input.js';
import {
  answeredByOther,
  emptyBodyNote,
  invalidRequestHint,
  notFoundHint,
  serverHint,
  throttlingHint,
} from './other.js';
import { signatureHint } from './signature.js';

export type { HintInput } from './input.js';

function byKind(input: HintInput): string {
  switch (input.kind) {
    case 'signature':
      return signatureHint(input);
    case 'clock-skew':
      return clockHint(input);
    case 'expired-token':
      return expiredTokenHint(input);
    case 'unknown-key':
      return unknownKeyHint(input);
    case 'access-denied':
      return accessDeniedHint(input);
    case 'throttling':
      return throttlingHint(input);
    case 'server':
      return serverHint(input);
    case 'not-found':
      return notFoundHint(input);
    case 'invalid-request':
      return invalidRequestHint(input);
  }
}

export function buildHint(input: HintInput): string {
  // A page from a proxy says nothing about AWS; whatever the status, say who answered.
  if (input.body.shape === 'html') {
    const retry = input.kind === 'server' || input.kind === 'throttling';
    return `${answeredByOther(input)}${retry ? ' Signet retries with backoff.' : ''}`;
  }
  return `${byKind(input)}${emptyBodyNote(input)}`;
}
