/**
 * Runs the Go text/template subset of parse.ts over Promtail's template
 * data (extracted values as strings, `.Value`, `.Entry`) with Promtail's own
 * functions (ToLower, ToUpper, Replace, Trim*, Hash, Sha2Hash,
 * regexReplaceAll*) and the built-ins users combine them with (eq, ne, lt,
 * le, gt, ge, and, or, not), plus the Sprig functions of sprig.ts. A
 * missing field prints "<no value>" and equals nothing, as in Go; passing
 * one to a string function fails the execution, and the stage then leaves
 * the entry as it was, as Promtail's does.
 */
import { createHash } from 'node:crypto';
import { ExpandTemplate } from '../../../relabel/template.js';
import { Re2Regex } from '../../../relabel/re2/index.js';
import { SPRIG_FUNCTIONS } from './sprig.js';
import { ExecError, str, truth, type Data, type TemplateFunction, type Value } from './values.js';
import {
  parseTemplate,
  TemplateSyntaxError,
  type Operand,
  type Pipeline,
  type TemplateNode,
} from './parse.js';

export { TemplateSyntaxError } from './parse.js';

const GO_SPACE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

function trimSet(s: string, cutset: string, left: boolean, right: boolean): string {
  const set = new Set(cutset);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  if (left) while (a < b && set.has(chars[a]!)) a++;
  if (right) while (b > a && set.has(chars[b - 1]!)) b--;
  return chars.slice(a, b).join('');
}

/** Go's strings.Replace: the first n (all when n < 0) non-overlapping `old`, replaced. */
function replace(s: string, old: string, replacement: string, n: number): string {
  if (old === replacement || n === 0) return s;
  if (old === '') {
    const chars = [...s];
    let out = '';
    let done = 0;
    for (let i = 0; i <= chars.length; i++) {
      if (n < 0 || done < n) {
        out += replacement;
        done++;
      }
      if (i < chars.length) out += chars[i];
    }
    return out;
  }
  let out = '';
  let at = 0;
  let done = 0;
  while (n < 0 || done < n) {
    const i = s.indexOf(old, at);
    if (i < 0) break;
    out += s.slice(at, i) + replacement;
    at = i + old.length;
    done++;
  }
  return out + s.slice(at);
}

function compare(a: Value, b: Value, fn: string): number {
  if (a === undefined || b === undefined) throw new ExecError(`${fn}: invalid type for comparison`);
  if (typeof a !== typeof b) throw new ExecError(`${fn}: incompatible types for comparison`);
  if (a === b) return 0;
  return (a as string | number) < (b as string | number) ? -1 : 1;
}

/** Go 1.18+'s eq: a missing value equals nothing (no error); other differing types are an error. */
function equal(a: Value, b: Value): boolean {
  if (a === undefined && b === undefined) throw new ExecError('eq: invalid type for comparison');
  if (a === undefined || b === undefined) return false;
  return compare(a, b, 'eq') === 0;
}

const regexCache = new Map<string, Re2Regex>();
function re2(pattern: string): Re2Regex {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new Re2Regex(pattern);
    } catch (err) {
      throw new ExecError(`regexReplaceAll: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (regexCache.size > 256) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

type Fn = TemplateFunction;
const FUNCTIONS: ReadonlyMap<string, [arity: number | undefined, fn: Fn]> = new Map<
  string,
  [number | undefined, Fn]
>([
  ['ToLower', [1, (a) => str(a[0], 'ToLower').toLowerCase()]],
  ['ToUpper', [1, (a) => str(a[0], 'ToUpper').toUpperCase()]],
  [
    'Replace',
    [
      4,
      (a) => {
        if (typeof a[3] !== 'number') throw new ExecError('Replace: the count must be a number');
        return replace(str(a[0], 'Replace'), str(a[1], 'Replace'), str(a[2], 'Replace'), a[3]);
      },
    ],
  ],
  ['Trim', [2, (a) => trimSet(str(a[0], 'Trim'), str(a[1], 'Trim'), true, true)]],
  ['TrimLeft', [2, (a) => trimSet(str(a[0], 'TrimLeft'), str(a[1], 'TrimLeft'), true, false)]],
  ['TrimRight', [2, (a) => trimSet(str(a[0], 'TrimRight'), str(a[1], 'TrimRight'), false, true)]],
  [
    'TrimPrefix',
    [
      2,
      (a) => {
        const [s, p] = [str(a[0], 'TrimPrefix'), str(a[1], 'TrimPrefix')];
        return s.startsWith(p) ? s.slice(p.length) : s;
      },
    ],
  ],
  [
    'TrimSuffix',
    [
      2,
      (a) => {
        const [s, p] = [str(a[0], 'TrimSuffix'), str(a[1], 'TrimSuffix')];
        return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
      },
    ],
  ],
  ['TrimSpace', [1, (a) => str(a[0], 'TrimSpace').replace(GO_SPACE, '')]],
  [
    'Hash',
    [
      2,
      (a) =>
        createHash('sha3-256')
          .update(str(a[0], 'Hash') + str(a[1], 'Hash'))
          .digest('hex'),
    ],
  ],
  [
    'Sha2Hash',
    [
      2,
      (a) =>
        createHash('sha256')
          .update(str(a[0], 'Sha2Hash') + str(a[1], 'Sha2Hash'))
          .digest('hex'),
    ],
  ],
  [
    'regexReplaceAll',
    [
      3,
      (a) => {
        const re = re2(str(a[0], 'regexReplaceAll'));
        const expand = new ExpandTemplate(str(a[2], 'regexReplaceAll'), re);
        return re.replaceAll(str(a[1], 'regexReplaceAll'), (m) => expand.expand(m));
      },
    ],
  ],
  [
    'regexReplaceAllLiteral',
    [
      3,
      (a) => {
        const replacement = str(a[2], 'regexReplaceAllLiteral');
        return re2(str(a[0], 'regexReplaceAllLiteral')).replaceAll(
          str(a[1], 'regexReplaceAllLiteral'),
          () => replacement,
        );
      },
    ],
  ],
  [
    'eq',
    [
      undefined,
      (a) => {
        if (a.length < 2) throw new ExecError('eq: missing argument for comparison');
        return a.slice(1).some((b) => equal(a[0], b));
      },
    ],
  ],
  ['ne', [2, (a) => !equal(a[0], a[1])]],
  ['lt', [2, (a) => compare(a[0], a[1], 'lt') < 0]],
  ['le', [2, (a) => compare(a[0], a[1], 'le') <= 0]],
  ['gt', [2, (a) => compare(a[0], a[1], 'gt') > 0]],
  ['ge', [2, (a) => compare(a[0], a[1], 'ge') >= 0]],
  ['not', [1, (a) => !truth(a[0])]],
  ...SPRIG_FUNCTIONS,
]);

const ARITY = new Map<string, number | undefined>(
  [...FUNCTIONS].map(([name, [arity]]) => [name, arity]),
);
ARITY.set('and', undefined);
ARITY.set('or', undefined);

/** The functions a template may call, for error hints. */
export const TEMPLATE_FUNCTIONS: readonly string[] = [...ARITY.keys()];

function evalOperand(op: Operand, data: Data, piped: Value | typeof NONE): Value {
  switch (op.kind) {
    case 'literal':
      return op.value;
    case 'field':
      // The data is one level of strings: `.a.b` finds nothing, as in Promtail.
      if (op.path.length === 0) throw new ExecError('printing the whole data map is not supported');
      if (op.path.length > 1) return undefined;
      return Object.hasOwn(data, op.path[0]!) ? data[op.path[0]!] : undefined;
    case 'pipeline':
      return evalPipeline(op.pipeline, data);
    case 'call': {
      // and/or take their arguments lazily, returning the deciding one (Go 1.18+).
      if (op.name === 'and' || op.name === 'or') {
        const args =
          piped === NONE ? op.args : [...op.args, { kind: 'literal', value: piped } as Operand];
        let last: Value;
        for (const arg of args) {
          last = evalOperand(arg, data, NONE);
          if (truth(last) === (op.name === 'or')) return last;
        }
        return last;
      }
      const args = op.args.map((arg) => evalOperand(arg, data, NONE));
      if (piped !== NONE) args.push(piped);
      return FUNCTIONS.get(op.name)![1](args);
    }
  }
}

const NONE = Symbol('none');

function evalPipeline(pipeline: Pipeline, data: Data): Value {
  let value: Value | typeof NONE = NONE;
  for (const command of pipeline) value = evalOperand(command, data, value);
  return value as Value;
}

function print(v: Value): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  return String(v);
}

function run(nodes: readonly TemplateNode[], data: Data): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'action') out += print(evalPipeline(node.pipeline, data));
    else out += run(truth(evalPipeline(node.cond, data)) ? node.then : node.otherwise, data);
  }
  return out;
}

/** A compiled template. */
export class GoTemplate {
  private readonly nodes: TemplateNode[];
  /** Set when the template has no actions: executing it gives this text. */
  readonly constant: string | undefined;

  /** Throws TemplateSyntaxError for what Go refuses or Signet does not run. */
  constructor(readonly source: string) {
    this.nodes = parseTemplate(source, ARITY);
    this.constant = this.nodes.every((n) => n.kind === 'text')
      ? this.nodes.map((n) => (n.kind === 'text' ? n.text : '')).join('')
      : undefined;
  }

  /** The output, or undefined when execution fails (a function given no value, say). */
  execute(data: Data): string | undefined {
    if (this.constant !== undefined) return this.constant;
    try {
      return run(this.nodes, data);
    } catch (err) {
      if (err instanceof ExecError) return undefined;
      throw err;
    }
  }
}

export function isTemplateSyntaxError(err: unknown): err is TemplateSyntaxError {
  return err instanceof TemplateSyntaxError;
}
