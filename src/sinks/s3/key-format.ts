/**
 * `key_format`: how an object's key is made. Literal text with
 *
 * - strftime parts of the object's first entry's time, in UTC: `%Y` `%m`
 *   `%d` `%H` `%M` `%S` (and `%%` for a `%`); any other `%` part is refused;
 * - `{{ .label }}` references to the entries' labels, which partition the
 *   objects: entries whose referenced labels differ never share an object;
 * - `$UUID`, a random UUID per object, and `$HOST`, this machine's name.
 *
 * A format without `$UUID` is refused: two objects begun in the same second
 * would get the same key, and S3 keeps only the second. Label values are
 * made key-safe (characters outside AWS's "safe characters" and `/` become
 * `_`, an empty or missing value is `_`) and cut at 128 bytes, so a key
 * stays under S3's 1024 bytes whatever the labels hold.
 */
import { hostname } from 'node:os';
import type { LogLabels } from '../../model/log-entry.js';
import { S3ConfigError } from './errors.js';
import { MAX_KEY_BYTES } from './limits.js';

export type Compression = 'gzip' | 'none';
export type ObjectFormat = 'ndjson' | 'raw';

type Part =
  | { readonly text: string }
  | { readonly label: string }
  | { readonly time: 'Y' | 'm' | 'd' | 'H' | 'M' | 'S' }
  | { readonly uuid: true };

/** The default `key_format`, after the prefix: sortable by hour, then host, time and a UUID. */
export function defaultKeyFormat(format: ObjectFormat, compression: Compression): string {
  const extension = `${format === 'ndjson' ? '.ndjson' : '.log'}${compression === 'gzip' ? '.gz' : ''}`;
  return `%Y/%m/%d/%H/$HOST-%Y%m%dT%H%M%SZ-$UUID${extension}`;
}

const TOKEN = /\{\{-?\s*(.*?)\s*-?\}\}|%(.)|\$UUID|\$HOST/g;
const REFERENCE = /^\.([A-Za-z_][A-Za-z0-9_]*)$/;
const TIME_PARTS = new Set(['Y', 'm', 'd', 'H', 'M', 'S']);
const MAX_LABEL_VALUE_BYTES = 128;
/** AWS's "safe characters" for object keys, less `/` (a value is one path segment). */
const UNSAFE = /[^A-Za-z0-9!_.*'()=-]/g;

export class KeyFormat {
  /** The label names the format refers to, in order: what partitions objects. */
  readonly labels: readonly string[];
  private readonly parts: readonly Part[];
  private readonly partitions = new WeakMap<LogLabels, string>();

  constructor(template: string, prefix: string, path: string) {
    const parts: Part[] = [];
    const labels: string[] = [];
    const cleanPrefix = prefix.replace(/^\/+/, '');
    if (cleanPrefix !== '') {
      parts.push({ text: cleanPrefix.endsWith('/') ? cleanPrefix : `${cleanPrefix}/` });
    }
    const host = safeValue(hostname());
    let last = 0;
    let uuids = 0;
    for (const match of template.matchAll(TOKEN)) {
      if (match.index > last) parts.push({ text: template.slice(last, match.index) });
      last = match.index + match[0].length;
      const [token, inner, percent] = match;
      if (token === '$UUID') {
        parts.push({ uuid: true });
        uuids++;
      } else if (token === '$HOST') {
        parts.push({ text: host });
      } else if (percent !== undefined) {
        if (percent === '%') parts.push({ text: '%' });
        else if (TIME_PARTS.has(percent)) parts.push({ time: percent as 'Y' });
        else {
          throw new S3ConfigError(`${path}: %${percent} is not a time part this key format knows`, {
            hint: 'use %Y %m %d %H %M %S (UTC, of the first entry in the object), or %% for a %',
          });
        }
      } else {
        const label = REFERENCE.exec(inner ?? '')?.[1];
        if (label === undefined) {
          throw new S3ConfigError(`${path}: {{ ${inner ?? ''} }} is not a label reference`, {
            hint: 'a key format takes {{ .label }} references, e.g. {{ .app }}/%Y/%m/%d/$UUID.log.gz',
          });
        }
        parts.push({ label });
        if (!labels.includes(label)) labels.push(label);
      }
    }
    if (last < template.length) parts.push({ text: template.slice(last) });
    if (parts.some((p) => 'text' in p && p.text.includes('{{'))) {
      throw new S3ConfigError(`${path}: ${JSON.stringify(template)} has an unclosed {{`, {
        hint: 'close each reference with }}',
      });
    }
    if (uuids === 0) {
      throw new S3ConfigError(`${path}: ${JSON.stringify(template)} has no $UUID`, {
        hint: 'without $UUID two objects begun in the same second get the same key and S3 keeps only the later one; add $UUID',
      });
    }
    let longest = 0;
    for (const part of parts) {
      if ('text' in part) longest += Buffer.byteLength(part.text);
      else if ('label' in part) longest += MAX_LABEL_VALUE_BYTES;
      else if ('time' in part) longest += part.time === 'Y' ? 4 : 2;
      else longest += 36;
    }
    if (longest > MAX_KEY_BYTES) {
      throw new S3ConfigError(
        `${path}: keys made by ${JSON.stringify(template)} can be ${longest} bytes long`,
        {
          hint: `S3 takes keys of at most ${MAX_KEY_BYTES} bytes (label values count up to ${MAX_LABEL_VALUE_BYTES} bytes each); shorten the prefix or the format`,
        },
      );
    }
    this.parts = parts;
    this.labels = labels;
  }

  /** Which object entries with these labels go into: equal for labels the format does not tell apart. */
  partition(labels: LogLabels): string {
    if (this.labels.length === 0) return '';
    let found = this.partitions.get(labels);
    if (found === undefined) {
      found = this.labels.map((name) => safeValue(labels[name] ?? '')).join('\u0000');
      this.partitions.set(labels, found);
    }
    return found;
  }

  /** The key of an object of `partition` whose first entry is at `firstMs`. */
  render(partition: string, firstMs: number, uuid: string): string {
    const values = partition === '' ? [] : partition.split('\u0000');
    const at = new Date(firstMs);
    let key = '';
    for (const part of this.parts) {
      if ('text' in part) key += part.text;
      else if ('label' in part) key += values[this.labels.indexOf(part.label)] ?? '_';
      else if ('uuid' in part) key += uuid;
      else key += timePart(at, part.time);
    }
    return key;
  }
}

function timePart(at: Date, part: 'Y' | 'm' | 'd' | 'H' | 'M' | 'S'): string {
  const two = (n: number) => String(n).padStart(2, '0');
  switch (part) {
    case 'Y':
      return String(at.getUTCFullYear()).padStart(4, '0');
    case 'm':
      return two(at.getUTCMonth() + 1);
    case 'd':
      return two(at.getUTCDate());
    case 'H':
      return two(at.getUTCHours());
    case 'M':
      return two(at.getUTCMinutes());
    case 'S':
      return two(at.getUTCSeconds());
  }
}

/** A label value as one key-safe path segment of at most 128 bytes. */
function safeValue(value: string): string {
  const safe = value.replace(UNSAFE, '_');
  return safe === '' ? '_' : safe.slice(0, MAX_LABEL_VALUE_BYTES);
}
