/**
 * `pack`: moves the named labels/extracted values into the line, as a JSON
 * object with the keys in sorted order and the original line under
 * `_entry` last — byte for byte what Promtail writes, so LogQL's `unpack`
 * reads it back. The packed names are removed from the labels; with
 * `ingest_timestamp` (default true) the entry's timestamp becomes now.
 */
import { msToNs } from '../../../model/log-entry.js';
import type { CompiledStage, StageFactory } from '../types.js';
import { ConfigReader, promtailString } from './values.js';

export const PACKED_ENTRY_KEY = '_entry';

/**
 * A JSON string as Go writes it with HTML escaping (json-iterator's default,
 * which Promtail's pack uses): `<`, `>`, `&`, U+2028 and U+2029 as \u escapes,
 * control characters other than \n \r \t as \u00XX, and text that is not
 * UTF-8 (a lone surrogate) as U+FFFD.
 */
export function goJsonString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += text[i]! + text[i + 1]!;
        i++;
      } else out += '\\ufffd';
      continue;
    }
    const short = SHORT_ESCAPES[code];
    if (short !== undefined) out += short;
    else if (
      code < 0x20 ||
      code === 0x3c ||
      code === 0x3e ||
      code === 0x26 ||
      code === 0x2028 ||
      code === 0x2029
    )
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += text[i];
  }
  return `${out}"`;
}

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\u0000-\u001f"\\<>&\u2028\u2029\ud800-\udfff]/;
const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
};

/** Promtail's Packed MarshalJSON: labels in sorted order, then `_entry`. */
export function packLine(labels: ReadonlyMap<string, string>, line: string): string {
  const keys = [...labels.keys()].sort();
  let out = '{';
  for (const key of keys) out += `${goJsonString(key)}:${goJsonString(labels.get(key)!)},`;
  return `${out}"${PACKED_ENTRY_KEY}":${goJsonString(line)}}`;
}

export const packStage: StageFactory = (config, context): CompiledStage => {
  const cfg = ConfigReader.of(config, context.path, 'pack', ['labels', 'ingest_timestamp']);
  const names = [...new Set(cfg.stringList('labels') ?? [])];
  const ingestTimestamp = cfg.boolean('ingest_timestamp') ?? true;
  return {
    name: 'pack',
    create: (run) => ({
      process(entry, out) {
        // The extracted map holds the labels too (the runner puts them there), as Promtail's does.
        const packed = new Map<string, string>();
        for (const name of names) {
          if (!Object.hasOwn(entry.extracted, name)) continue;
          const value = promtailString(entry.extracted[name]);
          if (value !== undefined) packed.set(name, value);
        }
        entry.line = packLine(packed, entry.line);
        for (const name of packed.keys()) delete entry.labels[name];
        if (ingestTimestamp) entry.timestampNs = msToNs(run.now());
        out.output(entry);
      },
    }),
  };
};
