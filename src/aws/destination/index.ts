/** Turning a URL and a signing block into a signed destination: see create.ts. */
export { createDestination } from './create.js';
export { EndpointOverrideError, sendUrl, type SendUrl } from './send-url.js';
export {
  createTargetSigner,
  type TargetSigner,
  type TargetSignerOptions,
} from './target-signer.js';
export { signedClient, type SignedClient, type SignedClientOptions } from './signed-client.js';
export type { Destination, DestinationOptions, OverrideLog, SigningOptions } from './types.js';
