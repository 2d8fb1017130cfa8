import { maskCredential, redact } from '../aws/redact.js';
import type { SignedRequest } from '../aws/sigv4/index.js';
import type { SourcedCredentials } from './credentials.js';

/** The URL the signed request goes to, query included. */
export function signedUrl(url: URL, signed: SignedRequest): string {
  return `${url.protocol}//${url.host}${signed.path}${signed.query ? '?' + signed.query : ''}`;
}

interface ExplainContext {
  readonly url: URL;
  readonly signed: SignedRequest;
  readonly region: string;
  readonly service: string;
  readonly sourced: SourcedCredentials;
  readonly presign: boolean;
}

/**
 * What `--explain` prints. The secret key never appears (it is not in any of
 * these strings); a session token is masked wherever it would, so the output
 * can be pasted into a ticket.
 */
export function explainText(c: ExplainContext): string {
  const token = c.sourced.credentials.sessionToken;
  const hide = (text: string) =>
    redact(text, [token, token ? encodeURIComponent(token) : undefined]);
  const lines = [
    `Signing ${c.signed.method} ${c.url.host} with ${c.signed.algorithm}, service ${c.service}, region ${c.region}`,
    `Credentials: ${maskCredential(c.sourced.credentials.accessKeyId)} from ${c.sourced.source}${token ? ', with a session token (masked below)' : ''}`,
    '',
    'Canonical request:',
    hide(c.signed.canonicalRequest),
    '',
    'String to sign:',
    c.signed.stringToSign,
    '',
    'Signature:',
    c.signed.signature,
    '',
  ];
  if (c.presign) {
    lines.push('Presigned URL:', hide(signedUrl(c.url, c.signed)));
  } else {
    lines.push('Headers to send:');
    for (const [name, value] of Object.entries(c.signed.headers))
      lines.push(`${name}: ${hide(value)}`);
    lines.push('', `Request: ${c.signed.method} ${signedUrl(c.url, c.signed)}`);
  }
  return lines.join('\n');
}

export function explainJson(c: ExplainContext): string {
  const token = c.sourced.credentials.sessionToken;
  const hide = (text: string) =>
    redact(text, [token, token ? encodeURIComponent(token) : undefined]);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(c.signed.headers)) headers[name] = hide(value);
  return JSON.stringify({
    canonicalRequest: hide(c.signed.canonicalRequest),
    stringToSign: c.signed.stringToSign,
    signature: c.signed.signature,
    authorization: c.signed.headers.authorization ?? null,
    headers,
    method: c.signed.method,
    url: hide(signedUrl(c.url, c.signed)),
    algorithm: c.signed.algorithm,
    service: c.service,
    region: c.region,
    credentialScope: c.signed.credentialScope,
    signedHeaders: c.signed.signedHeaders,
    accessKeyId: maskCredential(c.sourced.credentials.accessKeyId),
    credentialSource: c.sourced.source,
    sessionTokenMasked: Boolean(token),
  });
}
