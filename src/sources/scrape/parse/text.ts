/**
 * Strings cut out of a scrape body, made safe to keep: escape sequences
 * resolved, and no hidden reference to the body left behind.
 */
import { BACKSLASH } from './chars.js';

/**
 * Resolves `\\` and `\n` (and `\"` when `quotes`), left to right, as
 * Prometheus's strings.Replacer does: any other backslash stays as written.
 */
export function unescape(raw: string, quotes: boolean): string {
  let i = raw.indexOf('\\');
  if (i === -1) return raw;
  let out = '';
  let from = 0;
  while (i !== -1 && i + 1 < raw.length) {
    const next = raw.charCodeAt(i + 1);
    let replacement: string | undefined;
    if (next === BACKSLASH) replacement = '\\';
    else if (next === 0x6e) replacement = '\n';
    else if (next === 0x22 && quotes) replacement = '"';
    if (replacement === undefined) {
      i = raw.indexOf('\\', i + 1);
      continue;
    }
    out += raw.slice(from, i) + replacement;
    from = i + 2;
    i = raw.indexOf('\\', from);
  }
  return out + raw.slice(from);
}

/**
 * A copy of `s` that does not keep its parent alive. V8 represents a slice of
 * 13 or more characters as a view into the whole string it came from, so a
 * label value kept in the series table would hold the entire scrape body (a
 * few hundred kB) in memory for as long as the series lives. Concatenating
 * forces a new flat string of just these characters; the slice of that is a
 * view into a string one character longer than `s`.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (s + ' ').slice(0, -1);
}
