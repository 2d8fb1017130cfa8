/**
 * A request's payload, decoded and checked: the x-amz-content-sha256 hash or
 * aws-chunked framing, then Content-MD5 and any flexible checksum, from a
 * header or a trailer.
 */
import { createHash } from 'node:crypto';
import { ServiceError } from '../../service.js';
import type { LocalRequest } from '../../service.js';
import { computeChecksum, isChecksumAlgorithm, type ChecksumAlgorithm } from './checksums.js';
import { STREAMING_MODES, decodeAwsChunked } from './chunked.js';
import { badDigest, invalidArgument } from './errors.js';
import { header } from './context.js';

export interface Checksum {
  readonly algorithm: ChecksumAlgorithm;
  /** Base64, as sent. */
  readonly value: string;
}

export interface Payload {
  readonly body: Buffer;
  /** The flexible checksum the client sent and (where Node can) that was verified. */
  readonly checksum: Checksum | undefined;
}

const CHECKSUM_PREFIX = 'x-amz-checksum-';

/** The body with any aws-chunked framing removed, and the trailers that came after it. */
function decodeContent(request: LocalRequest): {
  body: Buffer;
  trailers: ReadonlyMap<string, string>;
} {
  const declared = header(request, 'x-amz-content-sha256');
  if (declared === undefined || declared === 'UNSIGNED-PAYLOAD') {
    return { body: request.body, trailers: new Map() };
  }
  if (/^[0-9a-f]{64}$/.test(declared)) {
    const computed = createHash('sha256').update(request.body).digest('hex');
    if (computed !== declared) {
      throw new ServiceError(
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        400,
        'Sender',
        { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: computed },
      );
    }
    return { body: request.body, trailers: new Map() };
  }
  const mode = STREAMING_MODES[declared];
  if (mode === undefined) {
    throw invalidArgument(
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING- form, or a valid sha256 value.',
      'x-amz-content-sha256',
      declared,
    );
  }
  const decoded = decodeAwsChunked(request.body, mode, request.signing);
  const length = header(request, 'x-amz-decoded-content-length');
  if (length === undefined) {
    throw new ServiceError(
      'MissingContentLength',
      'You must provide the x-amz-decoded-content-length header with an aws-chunked body.',
      411,
    );
  }
  if (String(decoded.body.length) !== length.trim()) {
    throw new ServiceError(
      'IncompleteBody',
      `You did not provide the number of bytes specified by x-amz-decoded-content-length (${length}; the chunks hold ${decoded.body.length}).`,
    );
  }
  return decoded;
}

function checkContentMd5(request: LocalRequest, body: Buffer): void {
  const given = header(request, 'content-md5');
  if (given === undefined) return;
  if (Buffer.from(given, 'base64').length !== 16) {
    throw new ServiceError('InvalidDigest', 'The Content-MD5 you specified was invalid.');
  }
  if (createHash('md5').update(body).digest('base64') !== given.trim()) {
    throw badDigest('The Content-MD5 you specified did not match what we received.');
  }
}

/** The one x-amz-checksum-* the client sent in a header or a trailer, verified where possible. */
function checkChecksum(
  request: LocalRequest,
  body: Buffer,
  trailers: ReadonlyMap<string, string>,
): Checksum | undefined {
  const sent: Checksum[] = [];
  const collect = (name: string, value: string) => {
    if (!name.startsWith(CHECKSUM_PREFIX)) return;
    const algorithm = name.slice(CHECKSUM_PREFIX.length);
    // x-amz-checksum-algorithm/-type/-mode are about checksums, not checksums themselves.
    if (isChecksumAlgorithm(algorithm)) sent.push({ algorithm, value: value.trim() });
  };
  for (const name of Object.keys(request.headers)) collect(name, header(request, name) ?? '');
  for (const [name, value] of trailers) collect(name, value);

  const announced = header(request, 'x-amz-trailer')?.trim().toLowerCase();
  if (announced !== undefined && announced !== '' && !trailers.has(announced)) {
    throw new ServiceError(
      'MalformedTrailerError',
      `The request announced the trailer ${announced} but the body did not carry it.`,
    );
  }
  const sdkAlgorithm = header(request, 'x-amz-sdk-checksum-algorithm');
  if (sdkAlgorithm !== undefined && sent.length === 0) {
    throw new ServiceError(
      'InvalidRequest',
      'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
    );
  }
  if (sent.length > 1) {
    throw new ServiceError('InvalidRequest', 'Expecting a single x-amz-checksum- header.');
  }
  const checksum = sent[0];
  if (checksum === undefined) return undefined;
  const computed = computeChecksum(checksum.algorithm, body);
  if (computed !== undefined && computed !== checksum.value) {
    throw badDigest(
      `The ${checksum.algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
    );
  }
  return checksum;
}

/** The request's payload, every integrity check the client asked for passed. */
export function readPayload(request: LocalRequest): Payload {
  const { body, trailers } = decodeContent(request);
  checkContentMd5(request, body);
  return { body, checksum: checkChecksum(request, body, trailers) };
}
