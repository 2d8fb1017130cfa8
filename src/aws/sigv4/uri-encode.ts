/**
 * Percent-encoding as SigV4 defines it (RFC 3986): every byte of the UTF-8 form
 * except the unreserved `A-Z a-z 0-9 - . _ ~` becomes `%XX` with upper-case hex.
 * `encodeURIComponent` is not used because it leaves `!'()*` alone.
 */

const ENCODED_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) => {
  const char = String.fromCharCode(byte);
  return /[A-Za-z0-9\-._~]/.test(char)
    ? char
    : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
});

const ALL_UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const ALL_UNRESERVED_OR_SLASH = /^[A-Za-z0-9\-._~/]*$/;
const ALREADY_ENCODED = /^(?:[A-Za-z0-9\-._~/]|%[0-9A-Fa-f]{2})*$/;

function encodeBytes(value: string, keepSlash: boolean, keepEscapes: boolean): string {
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x2f && keepSlash) out += '/';
    else if (byte === 0x25 && keepEscapes && isHexPair(bytes[i + 1], bytes[i + 2])) out += '%';
    else out += ENCODED_BYTE[byte]!;
  }
  return out;
}

function isHexDigit(byte: number | undefined): boolean {
  return (
    byte !== undefined &&
    ((byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x46) ||
      (byte >= 0x61 && byte <= 0x66))
  );
}

function isHexPair(a: number | undefined, b: number | undefined): boolean {
  return isHexDigit(a) && isHexDigit(b);
}

/** Encodes a query key or value, or a path segment. */
export function uriEncode(value: string): string {
  return ALL_UNRESERVED.test(value) ? value : encodeBytes(value, false, false);
}

/** Encodes a whole path, keeping its slashes. */
export function uriEncodePath(path: string): string {
  return ALL_UNRESERVED_OR_SLASH.test(path) ? path : encodeBytes(path, true, false);
}

/**
 * Encodes what a wire path left unencoded, keeping its `%XX` escapes: S3's
 * single encoding of a path a client has (mostly) encoded already.
 */
export function uriEncodePathOnce(path: string): string {
  return ALREADY_ENCODED.test(path) ? path : encodeBytes(path, true, true);
}

/**
 * Decodes `%XX` escapes as servers do before re-encoding a query; `+` stays a
 * plus. A malformed escape is kept as it is rather than failing the request.
 */
export function uriDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}
