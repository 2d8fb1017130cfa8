/**
 * Makes text from AWS (or from the caller) safe to print: AWS echoes signed
 * headers back in signature errors, session tokens among them, and URLs can
 * carry presigned signatures or user:password.
 */
import { maskCredential, redact } from '../redact.js';

// Long-term (AKIA) and temporary (ASIA) access key ids; other AWS ids (AIDA, AROA…) are not credentials.
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{12,124}\b/g;
// A session token echoed in a canonical request (`x-amz-security-token:…`) or a query string.
const SECURITY_TOKEN = /(x-amz-security-token\s*[:=]\s*)[^\s&'"<]+/gi;
// Session tokens are long standard-base64 runs; a run this long with `/` or `+` is never prose.
const LONG_BASE64 = /[A-Za-z0-9+/]{100,}={0,2}/g;

/** AWS's text with access key ids masked and anything token-like removed. */
export function sanitizeText(text: string, accessKeyId?: string): string {
  return redact(text, [accessKeyId])
    .replace(SECURITY_TOKEN, '$1<redacted>')
    .replace(LONG_BASE64, (run) => (/[+/]/.test(run) ? '<redacted>' : run))
    .replace(ACCESS_KEY_ID, (id) => maskCredential(id));
}

/** A URL without its query string, fragment or user info. */
export function displayUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    // Unparseable (e.g. an unencoded `/` in a password): drop everything up to the last `@`.
    const bare = url.replace(/[?#].*$/s, '');
    const at = bare.lastIndexOf('@');
    if (at === -1) return bare;
    const scheme = bare.indexOf('//');
    return `${scheme === -1 ? '' : bare.slice(0, scheme + 2)}${bare.slice(at + 1)}`;
  }
}

/**
 * An error code as AWS's SDKs read it: the part before `,` (a repeated header)
 * and `:` (a trailing URI), after `#` (a Smithy namespace).
 */
export function sanitizeCode(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let code = raw.split(',')[0]!.split(':')[0]!;
  if (code.includes('#')) code = code.slice(code.lastIndexOf('#') + 1);
  code = code.trim();
  return /^[\w.-]{1,128}$/.test(code) ? code : undefined;
}

/** The first paragraph of a message on one line, at most `max` characters. */
export function oneLine(text: string, max = 300): string {
  const paragraph = text.split(/\r?\n\s*\r?\n/)[0] ?? '';
  const line = paragraph.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
