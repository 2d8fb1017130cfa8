/**
 * Labels of a series text, built once per new series (the scrape cache keeps
 * them): every name validated, escapes resolved, duplicates refused.
 */
import { METRIC_NAME, normalizeLabels, type Label } from '../../../model/labels.js';
import {
  COMMA,
  EQUAL,
  LABEL_CHAR,
  LABEL_START,
  LBRACE,
  METRIC_CHAR,
  METRIC_START,
  QUOTE,
  RBRACE,
  isClass,
  skipBlanks,
  skipClass,
} from './chars.js';
import { describeAt, errorAt, type ExpositionError } from './error.js';
import { scanQuoted } from './label-scan.js';
import { active } from './sample-line.js';
import { detach, unescape } from './text.js';

/**
 * Accepts what either format allows between the braces (the Prometheus text
 * format's blanks and missing commas included), so any series text the parser
 * produced parses here. Returns the labels with `__name__`, sorted, empty
 * values dropped.
 *
 * Called from a sink for the series text parseExposition is handing it, it
 * first checks that text's whole line with the strict scanner of the body's
 * format, and places every error in the body: this is where a label set is
 * checked, once, when its series is new.
 */
export function parseSeriesLabels(seriesText: string): Label[] {
  const check = active.check;
  if (check === undefined || seriesText !== active.seriesText)
    return parse(seriesText, seriesText, 0);
  const { body, seriesStart } = active;
  if (check(body, seriesStart) !== seriesStart + seriesText.length) {
    // Unreachable if label-scan.ts's labelSetEnd keeps its promise; a wrong key must not pass.
    throw errorAt(body, seriesStart, 'cannot tell where the label set ends');
  }
  return parse(seriesText, body, seriesStart);
}

/**
 * Errors are placed at `offset + position` in `origin`: the body, or the
 * series text itself.
 */
function parse(s: string, origin: string, offset: number): Label[] {
  if (!isClass(s.charCodeAt(0), METRIC_START)) throw invalidName(s, 0, origin, offset);
  const nameEnd = skipClass(s, 1, METRIC_CHAR);
  const labels: Label[] = [{ name: METRIC_NAME, value: detach(s.slice(0, nameEnd)) }];
  if (nameEnd === s.length) return normalizeLabels(labels);
  let i = skipBlanks(s, nameEnd);
  if (s.charCodeAt(i) !== LBRACE) throw invalidName(s, nameEnd, origin, offset);
  i++;
  for (;;) {
    i = skipBlanks(s, i);
    let c = s.charCodeAt(i);
    if (c === RBRACE) break;
    if (!isClass(c, LABEL_START)) throw expected(s, i, 'label name', origin, offset);
    const nameStart = i;
    i = skipClass(s, i + 1, LABEL_CHAR);
    const name = s.slice(nameStart, i);
    for (let k = 0; k < labels.length; k++) {
      if (labels[k]?.name === name) {
        throw errorAt(origin, offset + nameStart, `duplicate label name ${JSON.stringify(name)}`);
      }
    }
    i = skipBlanks(s, i);
    if (s.charCodeAt(i) !== EQUAL) throw expected(s, i, 'equal', origin, offset);
    i = skipBlanks(s, i + 1);
    if (s.charCodeAt(i) !== QUOTE) throw expected(s, i, 'label value', origin, offset);
    const valueStart = i + 1;
    i = scanQuoted(s, valueStart);
    labels.push({ name: detach(name), value: detach(unescape(s.slice(valueStart, i - 1), true)) });
    i = skipBlanks(s, i);
    c = s.charCodeAt(i);
    if (c === COMMA) i++;
  }
  if (i + 1 !== s.length) throw expected(s, i + 1, 'end of series after "}"', origin, offset);
  return normalizeLabels(labels);
}

function invalidName(s: string, pos: number, origin: string, offset: number): ExpositionError {
  return errorAt(origin, offset + pos, `invalid metric name, got ${describeAt(s, pos)}`);
}

function expected(
  s: string,
  pos: number,
  what: string,
  origin: string,
  offset: number,
): ExpositionError {
  return errorAt(origin, offset + pos, `expected ${what}, got ${describeAt(s, pos)}`);
}
