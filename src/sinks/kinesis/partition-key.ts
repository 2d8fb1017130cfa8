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
import { cutToCodePoints, parseLabelTemplate, perLabels } from '../shared/label-template.js';

export const MAX_PARTITION_KEY_CHARS = 256;
/** The default key's length in characters (and bytes: base64url is ASCII). */
export const HASH_KEY_LENGTH = 16;

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
  const parsed = parseLabelTemplate(
    template,
    (inner) =>
      new RecordSinkOptionsError(`${path}: {{ ${inner} }} is not a label reference`, {
        hint: 'a partition key template takes literal text and {{ .label }} references, e.g. {{ .namespace }}/{{ .pod }}',
      }),
  );
  if (parsed.unclosed || parsed.strayClose) {
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
  return perLabels((labels) => {
    const text = parsed.render(labels);
    return text === '' ? undefined : cutToCodePoints(text, MAX_PARTITION_KEY_CHARS);
  });
}
