/**
 * `log_stream_name` as a template over an entry's labels, in the Go template
 * spelling the guides use (`{{ .pod }}/{{ .container }}`): literal text and
 * `{{ .label }}` references, nothing more, so a typo is refused at start
 * rather than sending to a stream named after it. A label the entry lacks
 * renders empty (Go's zero value for a map of strings). AWS refuses `:` and
 * `*` in stream names and names over 512 characters (code points), so those characters
 * become `_` and the name is cut; a name that renders empty falls back to
 * the host name.
 */
import { hostname } from 'node:os';
import type { LogLabels } from '../../model/log-entry.js';
import { CloudWatchLogsConfigError } from './errors.js';
import { LOG_STREAM_NAME_FORBIDDEN, MAX_LOG_STREAM_NAME_LENGTH } from './limits.js';

/** The stream name of an entry's labels; the same labels object always gives the same name. */
export type StreamNamer = (labels: LogLabels) => string;

type Part = { readonly text: string } | { readonly label: string };

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;
const REFERENCE = /^\.([A-Za-z_][A-Za-z0-9_]*)$/;

export function compileStreamName(template: string, prefix: string, path: string): StreamNamer {
  const parts: Part[] = [];
  let last = 0;
  for (const match of template.matchAll(ACTION)) {
    const inner = match[1] ?? '';
    const label = REFERENCE.exec(inner)?.[1];
    if (label === undefined) {
      throw new CloudWatchLogsConfigError(`${path}: {{ ${inner} }} is not a label reference`, {
        hint: 'a stream name template takes literal text and {{ .label }} references, e.g. {{ .pod }}/{{ .container }}',
      });
    }
    if (match.index > last) parts.push({ text: template.slice(last, match.index) });
    parts.push({ label });
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  if (parts.some((p) => 'text' in p && p.text.includes('{{'))) {
    throw new CloudWatchLogsConfigError(`${path}: ${JSON.stringify(template)} has an unclosed {{`, {
      hint: 'close each reference with }}',
    });
  }
  const fixed = parts.every((p) => 'text' in p);
  if (fixed) {
    const name = finish(prefix + template);
    return () => name;
  }
  const cache = new WeakMap<LogLabels, string>();
  return (labels) => {
    let name = cache.get(labels);
    if (name === undefined) {
      let text = prefix;
      for (const part of parts) text += 'text' in part ? part.text : (labels[part.label] ?? '');
      name = finish(text);
      cache.set(labels, name);
    }
    return name;
  };
}

function finish(name: string): string {
  let safe = name.replace(LOG_STREAM_NAME_FORBIDDEN, '_');
  if (safe === '') safe = hostname().replace(LOG_STREAM_NAME_FORBIDDEN, '_') || 'signet';
  if (safe.length > MAX_LOG_STREAM_NAME_LENGTH) {
    // The model's length counts code points (Smithy's length trait), so cut by them.
    const points = Array.from(safe);
    if (points.length > MAX_LOG_STREAM_NAME_LENGTH) {
      safe = points.slice(0, MAX_LOG_STREAM_NAME_LENGTH).join('');
    }
  }
  return safe;
}
