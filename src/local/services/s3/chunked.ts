/**
 * Decodes an `aws-chunked` body: `hex-size[;chunk-signature=sig]\r\n data \r\n`
 * chunks, a 0-size chunk, then (for the *-TRAILER forms) trailing header lines.
 * Signed forms chain every chunk's signature from the request's seed
 * signature; each is recomputed here with node:crypto and must match.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ServiceError } from '../../service.js';

export type StreamingMode = 'signed' | 'signed-trailer' | 'unsigned-trailer';

/** The `x-amz-content-sha256` values that announce each form. */
export const STREAMING_MODES: Readonly<Record<string, StreamingMode>> = {
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD': 'signed',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': 'signed-trailer',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER': 'unsigned-trailer',
};

export interface ChunkSigning {
  readonly seedSignature: string;
  readonly signingKey: Buffer;
  readonly amzDate: string;
  readonly scope: string;
}

export interface DecodedBody {
  readonly body: Buffer;
  /** Trailing headers, names lower-case (the trailer signature excluded). */
  readonly trailers: ReadonlyMap<string, string>;
}

const CRLF = Buffer.from('\r\n');
const EMPTY_SHA256 = createHash('sha256').digest('hex');
const SIGNED_HEADER = /^([0-9a-fA-F]{1,16});chunk-signature=([0-9a-f]{64})$/;
const UNSIGNED_HEADER = /^([0-9a-fA-F]{1,16})$/;
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';

const incomplete = (detail: string): ServiceError =>
  new ServiceError('IncompleteBody', `The aws-chunked body is malformed: ${detail}.`);

const mismatch = (): ServiceError =>
  new ServiceError(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    403,
  );

const sha256Hex = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('hex');

/** Compares in constant time, as anything checking a signature should. */
function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

class SignatureChain {
  private previous: string;

  constructor(private readonly signing: ChunkSigning) {
    this.previous = signing.seedSignature;
  }

  private check(stringToSign: string, given: string): void {
    const expected = createHmac('sha256', this.signing.signingKey)
      .update(stringToSign)
      .digest('hex');
    if (!sameSignature(expected, given)) throw mismatch();
    this.previous = given;
  }

  chunk(data: Buffer, given: string): void {
    const { amzDate, scope } = this.signing;
    const lines = ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, this.previous, EMPTY_SHA256];
    this.check(`${lines.join('\n')}\n${sha256Hex(data)}`, given);
  }

  trailer(canonicalTrailers: string, given: string): void {
    const { amzDate, scope } = this.signing;
    const lines = ['AWS4-HMAC-SHA256-TRAILER', amzDate, scope, this.previous];
    this.check(`${lines.join('\n')}\n${sha256Hex(canonicalTrailers)}`, given);
  }
}

function lineAt(body: Buffer, start: number): { line: string; next: number } {
  const end = body.indexOf(CRLF, start);
  if (end < 0) throw incomplete('a line does not end in CRLF');
  return { line: body.toString('latin1', start, end), next: end + 2 };
}

/** Reads `name:value` lines up to an empty line or the end of the body. */
function readTrailers(body: Buffer, start: number, chain: SignatureChain | undefined) {
  const trailers = new Map<string, string>();
  let canonical = '';
  let signature: string | undefined;
  let position = start;
  while (position < body.length) {
    const { line, next } = lineAt(body, position);
    position = next;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) throw incomplete(`trailer line "${line}" has no name`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === TRAILER_SIGNATURE) signature = value;
    else {
      trailers.set(name, value);
      canonical += `${name}:${value}\n`;
    }
  }
  if (position !== body.length) throw incomplete('data follows the trailers');
  if (chain !== undefined) {
    if (signature === undefined) throw incomplete(`the ${TRAILER_SIGNATURE} trailer is missing`);
    chain.trailer(canonical, signature);
  }
  return trailers;
}

/**
 * The payload of an aws-chunked body. Signed forms need the request's signing
 * material; a chunk whose signature does not match throws SignatureDoesNotMatch.
 */
export function decodeAwsChunked(
  body: Buffer,
  mode: StreamingMode,
  signing: ChunkSigning | undefined,
): DecodedBody {
  const signed = mode !== 'unsigned-trailer';
  if (signed && signing === undefined) {
    throw new ServiceError(
      'InvalidRequest',
      'A signed aws-chunked body needs a request signed in the Authorization header.',
    );
  }
  const chain = signed && signing !== undefined ? new SignatureChain(signing) : undefined;
  const chunks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const { line, next } = lineAt(body, position);
    const match = (signed ? SIGNED_HEADER : UNSIGNED_HEADER).exec(line);
    if (!match) throw incomplete(`bad chunk header "${line.slice(0, 100)}"`);
    const size = parseInt(match[1]!, 16);
    if (size > body.length - next) throw incomplete('a chunk is shorter than its size');
    const data = body.subarray(next, next + size);
    chain?.chunk(data, match[2]!);
    if (size === 0) {
      position = next;
      break;
    }
    if (!body.subarray(next + size, next + size + 2).equals(CRLF))
      throw incomplete('a chunk does not end in CRLF');
    chunks.push(data);
    position = next + size + 2;
  }
  if (mode === 'signed') {
    // The final chunk is `0;chunk-signature=…\r\n\r\n`; a missing last CRLF is forgiven.
    const rest = body.subarray(position);
    if (rest.length !== 0 && !rest.equals(CRLF)) throw incomplete('data follows the final chunk');
    return { body: Buffer.concat(chunks), trailers: new Map() };
  }
  const trailers = readTrailers(body, position, mode === 'signed-trailer' ? chain : undefined);
  return { body: Buffer.concat(chunks), trailers };
}
