import { readFileSync } from 'node:fs';
import { inferEndpoint } from '../aws/endpoints.js';
import { parseAmzDate } from '../aws/sigv4/index.js';
import { UsageError } from './usage-error.js';

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function parseUrl(value: string | undefined): URL {
  if (!value)
    throw new UsageError('no URL given', {
      hint: 'e.g. signet sign https://logs.us-east-1.amazonaws.com/',
    });
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`'${value}' is not a URL`, {
      hint: 'write it in full, e.g. https://host/path?query',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`'${value}' is not an http or https URL`, {
      hint: 'use https://… (or http://… for a local endpoint)',
    });
  }
  return url;
}

const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * The path as the AWS SDKs put it on the wire: percent-encoded like a URL
 * parser would, but with `.` and `..` segments kept. WHATWG URL parsing
 * resolves them (`/a/b/..` becomes `/a/`), while botocore and the JavaScript
 * SDK send `/a/b/..` and sign `/a`, the path the service resolves it to; the
 * signer does that resolution, so it must see the path unresolved.
 */
export function wirePath(value: string, url: URL): string {
  const afterAuthority = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]*([^?#]*)/i.exec(value)?.[1] ?? '';
  if (!afterAuthority.split(/[/\\]/).some((s) => DOT_SEGMENT.test(s))) return url.pathname;
  return afterAuthority
    .split(/[/\\]/)
    .map((segment) =>
      DOT_SEGMENT.test(segment) ? segment : new URL(`http://x/${segment}`).pathname.slice(1),
    )
    .join('/');
}

/** `-H 'Name: value'` lines, in order; repeats are kept. */
export function parseHeaders(lines: readonly string[]): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon === -1) {
      throw new UsageError(`header '${line}' has no colon`, { hint: "write -H 'Name: value'" });
    }
    const name = line.slice(0, colon).trim();
    if (!HEADER_NAME.test(name)) {
      throw new UsageError(`'${name}' is not a valid header name (in -H '${line}')`, {
        hint: 'use letters, digits and - only, e.g. -H "Content-Type: application/json"',
      });
    }
    (headers[name] ??= []).push(line.slice(colon + 1).trim());
  }
  return headers;
}

/** `--data STRING`, `--data @FILE` or `--data @-` (standard input). */
export async function readData(
  data: string | undefined,
  stdin: NodeJS.ReadableStream,
): Promise<Buffer | undefined> {
  if (data === undefined) return undefined;
  if (!data.startsWith('@')) return Buffer.from(data, 'utf8');
  const file = data.slice(1);
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin)
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return Buffer.concat(chunks);
  }
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : code;
    throw new UsageError(`cannot read --data file '${file}': ${why}`, {
      hint: 'check the path after @, or pass the body inline',
    });
  }
}

export function parseDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = parseAmzDate(value);
  if (!date)
    throw new UsageError(`--date '${value}' is not a valid time`, {
      hint: 'write it as YYYYMMDDTHHMMSSZ, e.g. 20240101T000000Z',
    });
  return date;
}

/** Region and service: the options if given, else read from a standard AWS host name. */
export function signingScope(
  url: URL,
  region: string | undefined,
  service: string | undefined,
  env: NodeJS.ProcessEnv,
): { region: string; service: string } {
  const inferred = inferEndpoint(url.hostname);
  const resolvedService = service ?? inferred?.service;
  if (!resolvedService) {
    throw new UsageError(`cannot tell the signing service from the host '${url.hostname}'`, {
      hint: 'pass --service, e.g. --service execute-api',
    });
  }
  const resolvedRegion = region ?? inferred?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!resolvedRegion) {
    throw new UsageError(`cannot tell the signing region from the host '${url.hostname}'`, {
      hint: 'pass --region, e.g. --region us-east-1, or set AWS_REGION',
    });
  }
  return { region: resolvedRegion, service: resolvedService };
}
