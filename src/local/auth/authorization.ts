/** The parts of a SigV4 signature, from an Authorization header or a presigned query. */
export interface SignatureParts {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  readonly amzDate: string;
  /** Set for presigned URLs: seconds the URL stays valid. */
  readonly expiresIn?: number;
  readonly sessionToken?: string;
}

const HEADER =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;\-_.:]+),\s*Signature=([0-9a-f]{64})\s*$/;

/** Parses an Authorization header; a string naming what is wrong when it does not parse. */
export function parseAuthorizationHeader(
  value: string,
  amzDate: string | undefined,
  sessionToken: string | undefined,
): SignatureParts | string {
  const m = HEADER.exec(value);
  if (!m) {
    return value.startsWith('AWS4-HMAC-SHA256')
      ? `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters in the SigV4 form. Authorization=${value.slice(0, 200)}`
      : `Authorization header uses an unsupported algorithm: '${value.split(' ')[0]}'. Use AWS4-HMAC-SHA256.`;
  }
  if (!amzDate)
    return 'Authorization header requires existence of either a X-Amz-Date or a Date header.';
  return {
    accessKeyId: m[1]!,
    date: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: m[5]!.split(';'),
    signature: m[6]!,
    amzDate,
    sessionToken,
  };
}

/** Parses the X-Amz-* parameters of a presigned URL. */
export function parsePresignedQuery(query: URLSearchParams): SignatureParts | string {
  if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
    return 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"';
  }
  const credential = query.get('X-Amz-Credential')?.split('/') ?? [];
  const amzDate = query.get('X-Amz-Date');
  const signedHeaders = query.get('X-Amz-SignedHeaders');
  const signature = query.get('X-Amz-Signature');
  const expires = Number(query.get('X-Amz-Expires'));
  if (
    credential.length !== 5 ||
    credential[4] !== 'aws4_request' ||
    !amzDate ||
    !signedHeaders ||
    !signature
  ) {
    return 'Query-string authentication requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.';
  }
  if (!Number.isInteger(expires) || expires < 1 || expires > 604800) {
    return 'X-Amz-Expires must be between 1 and 604800 seconds (7 days).';
  }
  return {
    accessKeyId: credential[0]!,
    date: credential[1]!,
    region: credential[2]!,
    service: credential[3]!,
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
    expiresIn: expires,
    sessionToken: query.get('X-Amz-Security-Token') ?? undefined,
  };
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Milliseconds since the epoch of an `X-Amz-Date`, or NaN. */
export function amzDateToMs(value: string): number {
  const m = AMZ_DATE.exec(value);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}
