/**
 * Promtail's `replace` stage: for every match of the RE2 `expression` in the
 * line (or extracted `source`), each capture group's text is replaced by
 * the `replace` template's output (with `.Value` the group's text and the
 * extracted values by name); the text outside groups stays. The result is
 * the new line (or `source`), and each named group's replacement goes into
 * extracted under its name.
 */
import type { CompiledStage, StageCompileContext } from '../types.js';
import { compileRe2, optionalSource, optionalString, readBlock, requiredString } from './config.js';
import { inputOf } from './extracted.js';
import { namedGroups } from './regex.js';
import { compileTemplate, templateData } from './template-data.js';

type Indexed = RegExpExecArray & { indices: [number, number][] };

export function replaceStage(config: unknown, context: StageCompileContext): CompiledStage {
  const path = context.path;
  const block = readBlock(config, path, ['expression', 'source', 'replace']);
  const expression = requiredString(
    block,
    'expression',
    path,
    'an RE2 pattern whose groups are replaced',
  );
  const source = optionalSource(block, path);
  const re = compileRe2(expression, `${path}.expression`);
  const template = compileTemplate(optionalString(block, 'replace', path) ?? '', `${path}.replace`);
  const groups = namedGroups(re);
  // The same pattern with group positions, for Go's FindAllStringSubmatchIndex.
  const all = new RegExp(re.js.source, `${re.js.flags.replace(/[gyd]/g, '')}dg`);

  return {
    name: 'replace',
    create() {
      return {
        process(entry, out) {
          const input = inputOf(entry, source);
          if (input === undefined || !re.test(input)) {
            out.output(entry);
            return;
          }
          const data = templateData(entry);
          let result = '';
          let previousEnd = 0;
          let lastMatchEnd = -1;
          let first: Indexed | undefined;
          const replaced = new Map<string, string>();
          all.lastIndex = 0;
          let failed = false;
          for (
            let m = all.exec(input) as Indexed | null;
            m !== null;
            m = all.exec(input) as Indexed | null
          ) {
            const [start, end] = m.indices[0]!;
            if (start === end) {
              all.lastIndex = end + (input.codePointAt(end)! > 0xffff ? 2 : 1);
              // Go skips an empty match right after the previous match.
              if (start === lastMatchEnd) continue;
            }
            lastMatchEnd = end;
            first ??= m;
            for (let g = 1; g < m.indices.length; g++) {
              const span = m.indices[g];
              if (span === undefined) continue;
              const captured = input.slice(span[0], span[1]);
              data['Value'] = captured;
              const text = template.execute(data);
              if (text === undefined) {
                failed = true;
                break;
              }
              if (previousEnd === 0 || previousEnd <= span[0]) {
                result += input.slice(previousEnd, span[0]) + text;
                previousEnd = span[1];
              }
              replaced.set(captured, text);
            }
            if (failed || all.lastIndex > input.length) break;
          }
          if (!failed && first !== undefined) {
            result += input.slice(previousEnd);
            if (source !== undefined) entry.extracted[source] = result;
            else entry.line = result;
            for (const [name, index] of groups) {
              const text = first[index];
              const value = text === undefined ? undefined : replaced.get(text);
              if (value !== undefined) entry.extracted[name] = value;
            }
          }
          out.output(entry);
        },
      };
    },
  };
}
