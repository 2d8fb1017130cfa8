/**
 * A signed client for one service and region, with its credentials taken from
 * the process's shared registry. Synchronous, for callers that know the region
 * already (signed scraping builds one per target).
 */
import type { Dispatcher } from 'undici';
import type { CorrectedClock } from '../clock.js';
import type { LayeredProvider } from '../credentials/provider.js';
import type { CredentialRegistry } from '../credentials/registry.js';
import type { CredentialSpec } from '../credentials/spec.js';
import { AwsClient } from '../http/aws-client.js';

export interface SignedClientOptions {
  readonly service: string;
  readonly region: string;
  readonly credentials: CredentialSpec;
  readonly registry: CredentialRegistry;
  readonly clock: CorrectedClock;
  readonly dispatcher?: Dispatcher | undefined;
  readonly timeoutMs?: number | undefined;
}

export interface SignedClient {
  readonly credentials: LayeredProvider;
  readonly client: AwsClient;
}

export function signedClient(options: SignedClientOptions): SignedClient {
  const credentials = options.registry.provider(options.credentials, options.region);
  const client = new AwsClient({
    service: options.service,
    region: options.region,
    credentials,
    clock: options.clock,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  return { credentials, client };
}
