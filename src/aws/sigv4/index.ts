/** The SigV4 / SigV4a signer: a leaf library that knows nothing of pipelines. */
export { SigV4Signer } from './signer.js';
export { SigningError } from './signing-error.js';
export { formatAmzDate, parseAmzDate } from './amz-date.js';
export { parseQueryString } from './canonical-query.js';
export { deriveSigV4aKeyPair, type SigV4aKeyPair } from './sigv4a-key.js';
export { sha256Hex } from './payload-hash.js';
export * from './constants.js';
export type * from './types.js';
