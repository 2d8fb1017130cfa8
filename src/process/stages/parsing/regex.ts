/**
 * Promtail's `regex` stage: an RE2 `expression` run on the line (or the
 * extracted `source`); each named group's text goes into extracted under
 * its name. No match, or a missing source, leaves the entry as it was.
 */
import type { Re2Regex } from '../../relabel/re2/index.js';
import type { CompiledStage, StageCompileContext } from '../types.js';
import { compileRe2, optionalSource, readBlock, requiredString } from './config.js';
import { inputOf } from './extracted.js';

/** Named groups in group order, so a name used twice takes the later group, as Go's loop does. */
export function namedGroups(re: Re2Regex): [name: string, index: number][] {
  const groups: [string, number][] = [];
  for (const [name, indexes] of re.groupNames)
    for (const index of indexes) groups.push([name, index]);
  return groups.sort((a, b) => a[1] - b[1]);
}

export function regexStage(config: unknown, context: StageCompileContext): CompiledStage {
  const path = context.path;
  const block = readBlock(config, path, ['expression', 'source']);
  const expression = requiredString(block, 'expression', path, 'an RE2 pattern with named groups');
  const source = optionalSource(block, path);
  const re = compileRe2(expression, `${path}.expression`);
  const groups = namedGroups(re);
  return {
    name: 'regex',
    create() {
      return {
        process(entry, out) {
          const input = inputOf(entry, source);
          const match = input === undefined ? null : re.exec(input);
          if (match !== null)
            for (const [name, index] of groups) entry.extracted[name] = match[index] ?? '';
          out.output(entry);
        },
      };
    },
  };
}
