/** Credentials that never change by themselves: explicit keys and long-term profile keys. */
import { maskCredential } from '../../redact.js';
import type { AwsCredentials } from '../../sigv4/types.js';
import type { CredentialProvider, CredentialStatus, SourceName } from '../types.js';

/** A provider over fixed credentials, e.g. the base of a role assumption. */
export function staticProvider(
  credentials: AwsCredentials,
  source: SourceName,
): CredentialProvider {
  const status: CredentialStatus = {
    source,
    chain: [{ source, outcome: 'used', detail: 'fixed credentials' }],
    accessKeyId: maskCredential(credentials.accessKeyId),
    expiration: credentials.expiration,
    refreshes: 0,
    failures: 0,
    lastError: undefined,
    nextAttemptAt: undefined,
  };
  return {
    get: () => Promise.resolve(credentials),
    forceRefresh: () => Promise.resolve(credentials),
    status: () => status,
    close: () => undefined,
  };
}
