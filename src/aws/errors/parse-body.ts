/**
 * Reads an error body in whichever shape it came: S3's REST-XML, the query
 * protocols' XML (STS, CloudWatch, EC2), JSON 1.0/1.1 and REST-JSON, plain
 * text (AMP, API Gateway), or an HTML page from something that is not AWS.
 * Never throws: garbage becomes a text body.
 */
import { XMLParser } from 'fast-xml-parser';
import { firstHeader, type HeaderMap } from './headers.js';
import { sanitizeCode } from './sanitize.js';
import type { ParsedBody } from './types.js';

/** Enough for any AWS error; proxy pages beyond it are cut, not parsed whole. */
const MAX_BODY_CHARS = 256 * 1024;

const xml = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
});

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Numeric character references (`&#39;`, `&#x27;`), which the parser leaves as they are. */
function decodeCharRefs(value: string): string {
  return value.replace(/&#(x[0-9a-f]{1,6}|\d{1,7});/gi, (ref, digits: string) => {
    const point = digits[0] === 'x' || digits[0] === 'X' ? parseInt(digits.slice(1), 16) : +digits;
    return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : ref;
  });
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return decodeCharRefs(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function child(node: unknown, name: string): unknown {
  if (!isNode(node)) return undefined;
  const value = node[name];
  return Array.isArray(value) ? (value as unknown[])[0] : value;
}

export function decodeBody(body: string | Uint8Array): string {
  const full = typeof body === 'string' ? body : new TextDecoder('utf-8').decode(body);
  return full.length > MAX_BODY_CHARS ? full.slice(0, MAX_BODY_CHARS) : full;
}

// JSON services quote both strings they computed in a signature mismatch's message.
const QUOTED_CANONICAL =
  /The Canonical String for this request should have been\s*'([\s\S]*?)'\s*(?:\n|$)/;
const QUOTED_STRING_TO_SIGN = /The String-to-Sign should have been\s*'([\s\S]*?)'/;

function quotedSigningStrings(
  message: string,
): Pick<ParsedBody, 'canonicalRequest' | 'stringToSign'> {
  const canonical = QUOTED_CANONICAL.exec(message)?.[1];
  const stringToSign = QUOTED_STRING_TO_SIGN.exec(message)?.[1];
  return {
    ...(canonical === undefined ? {} : { canonicalRequest: canonical }),
    ...(stringToSign === undefined ? {} : { stringToSign }),
  };
}

function parseXml(source: string): ParsedBody | undefined {
  // Entity declarations have no place in an AWS error; refuse them rather than expand them.
  if (/<!ENTITY/i.test(source)) return undefined;
  let root: unknown;
  try {
    root = xml.parse(source);
  } catch {
    return undefined;
  }
  if (!isNode(root)) return undefined;
  // S3: <Error>; query: <ErrorResponse><Error>; EC2: <Response><Errors><Error>.
  const error =
    child(root, 'Error') ??
    child(child(root, 'ErrorResponse'), 'Error') ??
    child(child(child(root, 'Response'), 'Errors'), 'Error');
  if (!isNode(error)) return undefined;
  const field = (name: string) => text(child(error, name))?.trim() || undefined;
  const requestId =
    field('RequestId') ??
    field('RequestID') ??
    text(child(child(root, 'ErrorResponse'), 'RequestId')) ??
    text(child(child(root, 'ErrorResponse'), 'RequestID')) ??
    text(child(child(root, 'Response'), 'RequestID')) ??
    text(child(child(root, 'Response'), 'RequestId'));
  const stringToSign = field('StringToSign');
  const canonicalRequest = field('CanonicalRequest');
  const serverTime = field('ServerTime');
  const region = field('Region');
  return {
    shape: 'xml',
    code: sanitizeCode(field('Code')),
    message: field('Message') ?? '',
    requestId: requestId?.trim() || undefined,
    ...(stringToSign === undefined ? {} : { stringToSign }),
    ...(canonicalRequest === undefined ? {} : { canonicalRequest }),
    ...(serverTime === undefined ? {} : { serverTime }),
    ...(region === undefined ? {} : { region }),
  };
}

function parseJson(source: string, headers: HeaderMap): ParsedBody | undefined {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    return undefined;
  }
  if (!isNode(value)) return undefined;
  // Some gateways wrap errors in {"errors": [{code, message}]}.
  const errors = value.errors;
  const node = Array.isArray(errors) && isNode(errors[0]) ? errors[0] : value;
  const message =
    text(node.message) ?? text(node.Message) ?? text(node.errorMessage) ?? text(node.error) ?? '';
  // Services that moved from the query protocol name their old code in x-amzn-query-error
  // (`Code;Sender`); otherwise Smithy's order: x-amzn-ErrorType, then `code`, then `__type`.
  const code =
    sanitizeCode(firstHeader(headers, 'x-amzn-query-error')?.split(';')[0]) ??
    sanitizeCode(firstHeader(headers, 'x-amzn-errortype')) ??
    sanitizeCode(text(node.code) ?? text(node.Code)) ??
    sanitizeCode(text(node.__type));
  const requestId = text(node.RequestId) ?? text(node.requestId) ?? text(node.RequestID);
  return {
    shape: 'json',
    code,
    message,
    requestId: requestId?.trim() || undefined,
    ...quotedSigningStrings(message),
  };
}

function looksLikeHtml(source: string, contentType: string | undefined): boolean {
  if (contentType?.includes('text/html')) return true;
  return /^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(source);
}

function htmlTitle(source: string): string | undefined {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(source)?.[1];
  const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(source)?.[1];
  const raw = (title ?? heading)
    ?.replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return raw ? raw.slice(0, 120) : undefined;
}

/** The body's code, message and request id, in whatever shape the body has. */
export function parseBody(source: string, headers: HeaderMap): ParsedBody {
  const trimmed = source.trim();
  const headerCode = sanitizeCode(firstHeader(headers, 'x-amzn-errortype'));
  const headerMessage = firstHeader(headers, 'x-amzn-error-message', 'x-amzn-errormessage');
  if (trimmed === '') {
    return { shape: 'empty', code: headerCode, message: headerMessage ?? '', requestId: undefined };
  }
  const contentType = headers.get('content-type');
  if (looksLikeHtml(trimmed, contentType)) {
    const title = htmlTitle(trimmed);
    return {
      shape: 'html',
      code: undefined,
      message: title ?? '',
      requestId: undefined,
      ...(title === undefined ? {} : { title }),
    };
  }
  if (trimmed.startsWith('<')) {
    const parsed = parseXml(trimmed);
    if (parsed) return parsed.code ? parsed : { ...parsed, code: headerCode };
  }
  if (trimmed.startsWith('{')) {
    const parsed = parseJson(trimmed, headers);
    if (parsed) return parsed.message ? parsed : { ...parsed, message: headerMessage ?? '' };
  }
  return {
    shape: 'text',
    code: headerCode,
    message: trimmed.slice(0, 4000),
    requestId: undefined,
    ...quotedSigningStrings(trimmed),
  };
}
