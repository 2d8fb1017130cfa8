/**
 * Kinesis partition keys. `partition_key` is a template over the entry's
 * labels in the Go template spelling the guides use (`{{ .pod }}`,
 * `{{ .namespace }}/{{ .pod }}`): literal text and `{{ .label }}`
 * references, nothing more, so a typo is refused at start. A label the entry
 * lacks renders empty, as in Go; a key that renders empty falls back to the
 * default, and one over 256 characters (code points, as the API model
 * counts them) is cut.
 *
 * The default is a hash of the record's data (16 base64url characters of
 * its SHA-256): records spread evenly over the shards whatever the labels,
 * and a record sent again goes to the shard it was meant for. A template
 * keeps each key's records in order on one shard instead.
 */
import { createHash } from 'node:crypto';
import type { LogLabels } from '../../model/log-entry.js';
import type { PartitionKeys } from '../aws-records/index.js';
import { RecordSinkOptionsError } from '../aws-records/index.js';

export const MAX_PARTITION_KEY_CHARS = 256;
/** The default key's length in characters (and bytes: base64url is ASCII). */
export const HASH_KEY_LENGTH = 16;

type Part = { readonly text: string } | { readonly label: string };

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;
const REFERENCE = /^\.([A-Za-z_][A-Za-z0-9_]*)$/;

export function hashKey(data: Buffer): string {
  return createHash('sha256').update(data).digest('base64url').slice(0, HASH_KEY_LENGTH);
}

/** The partition keys of a stream: from the template, or hashes of the data when none is given. */
export function partitionKeys(template: string | undefined, path: string): PartitionKeys {
  const render = template === undefined ? undefined : compileKeyTemplate(template, path);
  return {
    keyOf: (labels) => (render ? render(labels) : undefined),
    bytesOf: (key) => (key === undefined ? HASH_KEY_LENGTH : Buffer.byteLength(key)),
    hashOf: hashKey,
  };
}

/** A renderer answering undefined where the key renders empty (the hash is used then). */
export function compileKeyTemplate(
  template: string,
  path: string,
): (labels: LogLabels) => string | undefined {
  const parts: Part[] = [];
  let last = 0;
  for (const match of template.matchAll(ACTION)) {
    const inner = match[1] ?? '';
    const label = REFERENCE.exec(inner)?.[1];
    if (label === undefined) {
      throw new RecordSinkOptionsError(`${path}: {{ ${inner} }} is not a label reference`, {
        hint: 'a partition key template takes literal text and {{ .label }} references, e.g. {{ .namespace }}/{{ .pod }}',
      });
    }
    if (match.index > last) parts.push({ text: template.slice(last, match.index) });
    parts.push({ label });
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  if (parts.some((p) => 'text' in p && (p.text.includes('{{') || p.text.includes('}}')))) {
    throw new RecordSinkOptionsError(
      `${path}: ${JSON.stringify(template)} has an unmatched {{ or }}`,
      {
        hint: 'write each reference as {{ .label }}',
      },
    );
  }
  if (template === '') {
    throw new RecordSinkOptionsError(`${path} is empty`, {
      hint: 'leave partition_key out for a hash of each record, or give a template such as {{ .pod }}',
    });
  }
  const cache = new WeakMap<LogLabels, string | undefined>();
  return (labels) => {
    if (cache.has(labels)) return cache.get(labels);
    let text = '';
    for (const part of parts) text += 'text' in part ? part.text : (labels[part.label] ?? '');
    let key: string | undefined = text === '' ? undefined : text;
    if (key !== undefined && key.length > MAX_PARTITION_KEY_CHARS) {
      const points = Array.from(key);
      if (points.length > MAX_PARTITION_KEY_CHARS)
        key = points.slice(0, MAX_PARTITION_KEY_CHARS).join('');
    }
    cache.set(labels, key);
    return key;
  };
}
