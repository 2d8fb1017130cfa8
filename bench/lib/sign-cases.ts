/**
 * What the signing benchmark signs: the credentials, the fixed signing
 * instant, the three request cases, and one request builder per signer. Both
 * the cross-check and the measured runs build their requests here, so what is
 * verified is exactly what is timed.
 */
import type { Request as Aws4Request } from 'aws4';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import type { AwsCredentials } from '../../src/aws/sigv4/index.js';
import { seededBytes } from './seeded-bytes.js';

// The example key pair from the AWS documentation: real-looking, never valid.
export const CREDENTIALS: AwsCredentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
export const SERVICE = 'aps';
export const REGION = 'us-east-1';
export const HOST = 'aps-workspaces.us-east-1.amazonaws.com';
/** 2023-11-14T22:13:20Z, the same instant as the query's `time=1700000000`. */
export const SIGNING_MS = 1_700_000_000_000;
export const SIGNING_DATE = new Date(SIGNING_MS);
const AMZ_DATE = '20231114T221320Z';

export type CaseName = 'get' | 'post64k' | 'post1m';

export interface BenchCase {
  readonly name: CaseName;
  readonly label: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Decoded parameters (Signet, smithy) and the same as a wire string (aws4). */
  readonly query: Readonly<Record<string, string>>;
  readonly queryString: string;
  /** The caller's headers, without `host` (each signer is given the host its own way). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
}

const REMOTE_WRITE_HEADERS = {
  'Content-Type': 'application/x-protobuf',
  'Content-Encoding': 'snappy',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
};

function remoteWrite(name: CaseName, label: string, size: number, seed: number): BenchCase {
  return {
    name,
    label,
    method: 'POST',
    path: '/workspaces/ws-1/api/v1/remote_write',
    query: {},
    queryString: '',
    headers: REMOTE_WRITE_HEADERS,
    body: seededBytes(size, seed),
  };
}

export const CASES: readonly BenchCase[] = [
  {
    name: 'get',
    label: 'GET /workspaces/ws-1/api/v1/query?query=up&time=1700000000, no body',
    method: 'GET',
    path: '/workspaces/ws-1/api/v1/query',
    query: { query: 'up', time: '1700000000' },
    queryString: 'query=up&time=1700000000',
    headers: {},
    body: undefined,
  },
  remoteWrite('post64k', 'POST remote_write, 64 KiB snappy protobuf body', 64 * 1024, 0x5167_0064),
  remoteWrite('post1m', 'POST remote_write, 1 MiB snappy protobuf body', 1024 * 1024, 0x5167_1024),
];

// ---------------------------------------------------------------------------
// Request builders: one fresh request per call, as each signer expects it
// (the signers copy or mutate what they are given).

export function signetRequest(c: BenchCase) {
  return {
    method: c.method,
    host: HOST,
    path: c.path,
    query: { ...c.query },
    headers: { ...c.headers },
    body: c.body,
  };
}

export function smithyRequest(c: BenchCase): HttpRequest {
  return new HttpRequest({
    method: c.method,
    protocol: 'https:',
    hostname: HOST,
    path: c.path,
    query: { ...c.query },
    // smithy signs the request's headers and takes `host` from them only.
    headers: { host: HOST, ...c.headers },
    body: c.body,
  });
}

export function aws4Request(c: BenchCase): Aws4Request {
  return {
    host: HOST,
    method: c.method,
    path: c.queryString ? `${c.path}?${c.queryString}` : c.path,
    service: SERVICE,
    region: REGION,
    // aws4 takes the signing time from this header; fixing it matches the others.
    headers: { ...c.headers, 'X-Amz-Date': AMZ_DATE },
    body: c.body,
  };
}

export function newSmithy(): SignatureV4 {
  return new SignatureV4({
    service: SERVICE,
    region: REGION,
    credentials: CREDENTIALS,
    sha256: Hash.bind(null, 'sha256'),
    // smithy adds and signs x-amz-content-sha256 by default; Signet (and aws4)
    // do so only for S3. Off here, so all three sign the same header set.
    applyChecksum: false,
  });
}
