/**
 * `POST /loki/api/v1/push` bodies as Loki's distributor reads them
 * (pkg/loghttp/push): `application/json` as `{"streams":[{"stream":{…},
 * "values":[["<ns>","line"(, {metadata})]]}]}`, anything else as a
 * snappy-compressed `logproto.PushRequest`; a gzip or deflate
 * Content-Encoding undone first. Every stream is checked before any is
 * stored, so a refused push stores nothing.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import snappy from 'snappy';
import { decodePushRequest } from '../../../sinks/loki/push-proto.js';
import type { LocalRequest } from '../../service.js';
import { SelectorError, parseSelector } from '../aps/selector.js';

export interface PushedEntry {
  readonly ts: bigint;
  readonly line: string;
  readonly metadata: Readonly<Record<string, string>> | undefined;
}

export interface PushedStream {
  readonly labels: Readonly<Record<string, string>>;
  readonly entries: readonly PushedEntry[];
}

/** A push Loki refuses: the status and the plain-text line it answers with. */
export class PushError extends Error {
  override readonly name = 'PushError';
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const NANOSECONDS = /^-?\d+$/;

export function decodePush(request: LocalRequest): PushedStream[] {
  const body = decodeContent(request);
  const mediaType = (headerOf(request, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return mediaType === 'application/json' ? fromJson(body) : fromProtobuf(body);
}

function decodeContent(request: LocalRequest): Buffer {
  const encoding = (headerOf(request, 'content-encoding') ?? '').trim().toLowerCase();
  try {
    if (encoding === '' || encoding === 'identity') return request.body;
    if (encoding === 'gzip') return gunzipSync(request.body);
    if (encoding === 'deflate') return inflateSync(request.body);
  } catch (error) {
    throw new PushError(`cannot ${encoding}-decode the body: ${messageOf(error)}`);
  }
  throw new PushError(`Content-Encoding ${JSON.stringify(encoding)} not supported`, 415);
}

function fromProtobuf(body: Buffer): PushedStream[] {
  let raw: Buffer;
  try {
    raw = snappy.uncompressSync(body) as Buffer;
  } catch (error) {
    throw new PushError(`snappy: corrupt input (${messageOf(error)})`);
  }
  let streams;
  try {
    streams = decodePushRequest(raw);
  } catch (error) {
    throw new PushError(`cannot decode logproto.PushRequest: ${messageOf(error)}`);
  }
  return streams.map((stream) => ({
    labels: parseLabels(stream.labels),
    entries: stream.entries.map((entry) => ({
      ts: entry.timestampNs,
      line: entry.line,
      metadata:
        entry.structuredMetadata.length === 0
          ? undefined
          : Object.fromEntries(entry.structuredMetadata.map((p) => [p.name, p.value])),
    })),
  }));
}

/** A label string as Loki's push parses it: `{a="b", c="d"}`, equality matchers only. */
function parseLabels(text: string): Record<string, string> {
  if (/^\{\s*\}$/.test(text.trim())) {
    throw new PushError('error at least one label pair is required per stream');
  }
  if (!text.trim().startsWith('{')) {
    throw new PushError(`error parsing labels '${text}': a label set starts with {`);
  }
  let matchers;
  try {
    matchers = parseSelector(text);
  } catch (error) {
    if (error instanceof SelectorError) {
      throw new PushError(
        `error parsing labels '${text}' at col ${error.position}: ${error.message}`,
      );
    }
    throw error;
  }
  const labels: Record<string, string> = {};
  for (const matcher of matchers) {
    if (matcher.type !== '=') {
      throw new PushError(`error parsing labels '${text}': only name="value" pairs are allowed`);
    }
    if (Object.hasOwn(labels, matcher.name)) {
      throw new PushError(`error parsing labels '${text}': duplicate label name ${matcher.name}`);
    }
    labels[matcher.name] = matcher.value;
  }
  return labels;
}

function fromJson(body: Buffer): PushedStream[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new PushError(`cannot parse the JSON body: ${messageOf(error)}`);
  }
  const streams = isObject(parsed) ? parsed['streams'] : undefined;
  if (!Array.isArray(streams)) throw new PushError('the JSON body needs a "streams" array');
  return streams.map((stream: unknown, i) => {
    const at = `streams[${i}]`;
    if (!isObject(stream)) throw new PushError(`${at} is not an object`);
    const labels = stringMap(stream['stream'], `${at}.stream`);
    if (Object.keys(labels).length === 0) {
      throw new PushError('error at least one label pair is required per stream');
    }
    for (const name of Object.keys(labels)) {
      if (!LABEL_NAME.test(name))
        throw new PushError(`${at}.stream: invalid label name ${JSON.stringify(name)}`);
    }
    const values = stream['values'];
    if (!Array.isArray(values)) throw new PushError(`${at}.values is not an array`);
    return {
      labels,
      entries: values.map((value: unknown, j) => jsonEntry(value, `${at}.values[${j}]`)),
    };
  });
}

function jsonEntry(value: unknown, at: string): PushedEntry {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) {
    throw new PushError(`${at} must be ["<unix ns>", "<line>"] or with a metadata object third`);
  }
  const [ts, line, metadata] = value as unknown[];
  if (typeof ts !== 'string' || !NANOSECONDS.test(ts)) {
    throw new PushError(
      `${at}[0]: the timestamp must be a string of Unix nanoseconds, got ${JSON.stringify(ts)}`,
    );
  }
  if (typeof line !== 'string') throw new PushError(`${at}[1]: the line must be a string`);
  const meta = metadata === undefined ? undefined : stringMap(metadata, `${at}[2]`);
  return {
    ts: BigInt(ts),
    line,
    metadata: meta === undefined || Object.keys(meta).length === 0 ? undefined : meta,
  };
}

function stringMap(value: unknown, at: string): Record<string, string> {
  if (!isObject(value)) throw new PushError(`${at} must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new PushError(`${at}.${name} must be a string`);
    out[name] = v;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function headerOf(request: LocalRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
