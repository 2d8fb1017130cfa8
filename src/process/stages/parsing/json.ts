/**
 * Promtail's `json` stage: the line (or extracted `source`) parsed as a JSON
 * object, each of `expressions` (name: JMESPath, empty meaning the name
 * itself) searched in it, and the result put into extracted — strings,
 * numbers, booleans and null as they are, objects and lists as JSON text.
 * A line that is not a JSON object is passed on untouched, or dropped with
 * `drop_malformed: true`.
 *
 * JMESPath is @jmespath-community/jmespath: it compiles an expression once
 * and evaluates the compiled tree for every line (the original jmespath.js
 * parses the expression again on each search), ships its own types and is
 * maintained. It follows the community spec, a superset of the original one
 * Promtail's go-jmespath implements, so every expression Promtail takes means
 * the same here.
 */
import { compile, TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath';
import { StageConfigError, type CompiledStage, type StageCompileContext } from '../types.js';
import { optionalBoolean, optionalSource, readBlock, stringMap } from './config.js';
import { inputOf } from './extracted.js';

type Compiled = ReturnType<typeof compile>;

/** Go's json.Marshal escapes these; so does Promtail's text for objects and lists. */
const GO_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

export function goJsonText(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]!);
}

/** A line as Promtail's json stage reads it: a JSON object (or null), else undefined. */
export function parseJsonObject(text: string): Record<string, unknown> | null | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (data === null) return null;
  return typeof data === 'object' && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : undefined;
}

export function jsonStage(config: unknown, context: StageCompileContext): CompiledStage {
  const path = context.path;
  const block = readBlock(config, path, ['expressions', 'source', 'drop_malformed']);
  const expressions = stringMap(block, 'expressions', path);
  if (expressions === undefined || expressions.size === 0)
    throw new StageConfigError(
      `${path}.expressions`,
      'is required (JMES expression is required)',
      'write expressions: {name: jmespath.expression}',
    );
  const source = optionalSource(block, path);
  const dropMalformed = optionalBoolean(block, 'drop_malformed', path) ?? false;
  const compiled: [string, Compiled][] = [];
  for (const [name, expression] of expressions) {
    try {
      compiled.push([name, compile(expression === '' ? name : expression)]);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new StageConfigError(
        `${path}.expressions.${name}`,
        `could not compile JMES expression ${JSON.stringify(expression === '' ? name : expression)}: ${why}`,
        'quote names with dashes, dots or @ as JMESPath wants: "\\"@timestamp\\""',
        err,
      );
    }
  }
  return {
    name: 'json',
    create() {
      return {
        process(entry, out) {
          const input = inputOf(entry, source);
          if (input !== undefined) {
            const data = parseJsonObject(input);
            if (data === undefined) {
              if (dropMalformed) {
                out.discard(entry, { kind: 'dropped', reason: 'malformed_json' });
                return;
              }
            } else {
              for (const [name, expression] of compiled) {
                let result: unknown;
                try {
                  result = TreeInterpreter.search(expression, data as JSONValue);
                } catch {
                  continue; // Promtail skips an expression whose search fails.
                }
                entry.extracted[name] =
                  result === null || result === undefined || typeof result !== 'object'
                    ? (result ?? null)
                    : goJsonText(result);
              }
            }
          }
          out.output(entry);
        },
      };
    },
  };
}
