/**
 * Promtail's `logfmt` stage: the line (or extracted `source`) read as logfmt
 * (`key=value key="quoted \"value\"" flag`, as go-logfmt reads it) and each
 * key named in `mapping` (extracted name: logfmt key, empty meaning the
 * name itself) put into extracted. Reading stops at the first malformed
 * pair; what was found before it is kept, as in Promtail.
 */
import { StageConfigError, type CompiledStage, type StageCompileContext } from '../types.js';
import { optionalSource, readBlock, stringMap } from './config.js';
import { inputOf } from './extracted.js';

/**
 * Calls `found` for each key and value, in order; stops at the first
 * malformed pair (an `=` without a key, a stray quote, an unterminated or
 * badly escaped quoted value). A key without `=` has the value ''.
 */
export function scanLogfmt(text: string, found: (key: string, value: string) => void): void {
  const n = text.length;
  let pos = 0;
  for (;;) {
    while (pos < n && text.charCodeAt(pos) <= 0x20) pos++;
    if (pos >= n) return;
    const keyStart = pos;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 0x3d /* = */ || c === 0x22 /* " */ || c <= 0x20) break;
      pos++;
    }
    const key = text.slice(keyStart, pos);
    const c = text.charCodeAt(pos);
    if (pos >= n || c <= 0x20) {
      found(key, '');
      continue;
    }
    if (c === 0x22 || key === '') return; // a stray quote, or "=" with no key
    pos++; // past "="
    if (pos >= n || text.charCodeAt(pos) <= 0x20) {
      found(key, '');
      continue;
    }
    if (text.charCodeAt(pos) === 0x22) {
      let end = pos + 1;
      let escaped = false;
      while (end < n) {
        const q = text.charCodeAt(end);
        if (escaped) escaped = false;
        else if (q === 0x5c) escaped = true;
        else if (q === 0x22) break;
        end++;
      }
      if (end >= n) return; // unterminated quoted value
      let value: string;
      try {
        value = JSON.parse(text.slice(pos, end + 1)) as string;
      } catch {
        return; // an escape JSON (and go-logfmt) does not know
      }
      pos = end + 1;
      // What follows is read as the next pair, as go-logfmt does (a stray quote ends reading there).
      found(key, value);
      continue;
    }
    const valueStart = pos;
    while (pos < n) {
      const v = text.charCodeAt(pos);
      if (v === 0x3d || v === 0x22) return; // "=" or a quote inside a bare value
      if (v <= 0x20) break;
      pos++;
    }
    found(key, text.slice(valueStart, pos));
  }
}

export function logfmtStage(config: unknown, context: StageCompileContext): CompiledStage {
  const path = context.path;
  const block = readBlock(config, path, ['mapping', 'source']);
  const mapping = stringMap(block, 'mapping', path);
  if (mapping === undefined || mapping.size === 0)
    throw new StageConfigError(
      `${path}.mapping`,
      'is required (logfmt mapping is required)',
      'write mapping: {extracted_name: logfmt_key}',
    );
  const source = optionalSource(block, path);
  // logfmt key → extracted name.
  const inverse = new Map<string, string>();
  for (const [name, key] of mapping) inverse.set(key === '' ? name : key, name);
  return {
    name: 'logfmt',
    create() {
      return {
        process(entry, out) {
          const input = inputOf(entry, source);
          if (input !== undefined)
            scanLogfmt(input, (key, value) => {
              const name = inverse.get(key);
              if (name !== undefined) entry.extracted[name] = value;
            });
          out.output(entry);
        },
      };
    },
  };
}
