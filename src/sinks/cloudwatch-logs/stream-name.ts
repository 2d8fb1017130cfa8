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
import { cutToCodePoints, parseLabelTemplate, perLabels } from '../shared/label-template.js';
import { CloudWatchLogsConfigError } from './errors.js';
import { LOG_STREAM_NAME_FORBIDDEN, MAX_LOG_STREAM_NAME_LENGTH } from './limits.js';

/** The stream name of an entry's labels; the same labels object always gives the same name. */
export type StreamNamer = (labels: LogLabels) => string;

export function compileStreamName(template: string, prefix: string, path: string): StreamNamer {
  const parsed = parseLabelTemplate(
    template,
    (inner) =>
      new CloudWatchLogsConfigError(`${path}: {{ ${inner} }} is not a label reference`, {
        hint: 'a stream name template takes literal text and {{ .label }} references, e.g. {{ .pod }}/{{ .container }}',
      }),
  );
  // A stray `}}` is literal text here: AWS allows braces in stream names.
  if (parsed.unclosed) {
    throw new CloudWatchLogsConfigError(`${path}: ${JSON.stringify(template)} has an unclosed {{`, {
      hint: 'close each reference with }}',
    });
  }
  if (parsed.literal) {
    const name = finish(prefix + template);
    return () => name;
  }
  return perLabels((labels) => finish(prefix + parsed.render(labels)));
}

function finish(name: string): string {
  let safe = name.replace(LOG_STREAM_NAME_FORBIDDEN, '_');
  if (safe === '') safe = hostname().replace(LOG_STREAM_NAME_FORBIDDEN, '_') || 'signet';
  return cutToCodePoints(safe, MAX_LOG_STREAM_NAME_LENGTH);
}
