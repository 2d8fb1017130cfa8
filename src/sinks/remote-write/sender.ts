/**
 * The remote-write POST: the shared EndpointClient (signed through an
 * AwsClient for AMP, or unsigned with basic auth, a bearer token and custom
 * headers) with remote write 1.0's protocol headers. What a failure means is
 * the shared classification's (../shared/classify.ts).
 */
import snappy from 'snappy';
import { Agent } from 'undici';
import { EndpointClient, type EndpointOptions } from '../shared/http.js';

export type { BasicAuth } from '../shared/http.js';

/** The remote-write URL (e.g. AMP's `…/workspaces/ws-…/api/v1/remote_write`), auth and timeout. */
export type SenderOptions = EndpointOptions;

const PROTOCOL_HEADERS: Readonly<Record<string, string>> = {
  'content-encoding': 'snappy',
  'content-type': 'application/x-protobuf',
  'x-prometheus-remote-write-version': '0.1.0',
};

/** A keep-alive pool sized for one connection per shard. */
export function remoteWritePool(maxShards: number) {
  return { connections: maxShards, pipelining: 1, keepAliveTimeout: 60_000 } as const;
}

export function createRemoteWriteAgent(maxShards: number): Agent {
  return new Agent(remoteWritePool(maxShards));
}

export class RemoteWriteClient extends EndpointClient {
  constructor(options: SenderOptions) {
    super(options, 'remote_write', PROTOCOL_HEADERS);
  }
}

/**
 * What `signet doctor` sends to check a remote-write destination: an empty
 * WriteRequest, so AMP checks the signature and aps:RemoteWrite and stores
 * nothing.
 */
export function remoteWriteProbe(): {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
} {
  return { headers: PROTOCOL_HEADERS, body: snappy.compressSync(Buffer.alloc(0)) };
}
