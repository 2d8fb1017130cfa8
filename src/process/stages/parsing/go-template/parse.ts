/**
 * The part of Go's text/template that Promtail users write in `template`
 * and `replace` stages: text, `{{ pipeline }}` actions (with `{{-`/`-}}`
 * trimming and comments), `.field` and `.` lookups, string, number and
 * boolean literals, function calls and `|` pipelines, parentheses, and
 * `if`/`else if`/`else`/`end`. Anything else (range, with, define,
 * variables, …) is refused with its name, so a template never runs
 * differently from Promtail's.
 */

export type Operand =
  | { readonly kind: 'field'; readonly path: readonly string[] }
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Operand[] }
  | { readonly kind: 'pipeline'; readonly pipeline: Pipeline };

/** Commands joined by `|`: each command's value is the last argument of the next. */
export type Pipeline = readonly Operand[];

export type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pipeline: Pipeline }
  | {
      readonly kind: 'if';
      readonly cond: Pipeline;
      readonly then: TemplateNode[];
      readonly otherwise: TemplateNode[];
    };

export class TemplateSyntaxError extends Error {}

/** Names a function call may use, with how many arguments each takes (undefined: one or more). */
export type FunctionArity = ReadonlyMap<string, number | undefined>;

const UNSUPPORTED = [
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
  'len',
  'index',
  'slice',
  'print',
  'printf',
  'println',
  'html',
  'js',
  'urlquery',
  'call',
];

type Token =
  { readonly t: 'text'; readonly v: string } | { readonly t: 'action'; readonly v: string };

/** Splits a template into text and action bodies, applying `{{-` and `-}}` trimming. */
function split(template: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  let trimNext = false;
  for (;;) {
    const open = template.indexOf('{{', at);
    let text = template.slice(at, open < 0 ? template.length : open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    if (open < 0) {
      if (text !== '') tokens.push({ t: 'text', v: text });
      return tokens;
    }
    let bodyStart = open + 2;
    if (
      template.startsWith('- ', bodyStart) ||
      /^-[\t\r\n]/.test(template.slice(bodyStart, bodyStart + 2))
    ) {
      text = text.replace(/[ \t\r\n]+$/, '');
      bodyStart += 1;
    }
    if (text !== '') tokens.push({ t: 'text', v: text });
    const close = findClose(template, bodyStart);
    if (close < 0) throw new TemplateSyntaxError('unclosed action: a "{{" has no "}}"');
    let bodyEnd = close;
    trimNext = false;
    if (/[ \t\r\n]-$/.test(template.slice(bodyStart, close))) {
      bodyEnd -= 1;
      trimNext = true;
    }
    tokens.push({ t: 'action', v: template.slice(bodyStart, bodyEnd).trim() });
    at = close + 2;
  }
}

/** The "}}" closing the action at `from`, skipping quoted strings. */
function findClose(template: string, from: number): number {
  for (let i = from; i < template.length; i++) {
    const c = template[i];
    if (c === '"' || c === '`') {
      const quote = c;
      for (i++; i < template.length && template[i] !== quote; i++)
        if (quote === '"' && template[i] === '\\') i++;
      continue;
    }
    if (c === '}' && template[i + 1] === '}') return i;
  }
  return -1;
}

/** The words of an action body: strings, numbers, fields, names, `|`, `(` and `)`. */
function words(body: string): string[] {
  const out: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'|[|()]|[^\s|()"`']+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(body)) !== null) {
    out.push(m[1]!);
    at = re.lastIndex;
  }
  if (body.slice(at).trim() !== '')
    throw new TemplateSyntaxError(`cannot read ${JSON.stringify(body.slice(at).trim())} in action`);
  return out;
}

class ActionParser {
  private at = 0;

  constructor(
    private readonly w: string[],
    private readonly functions: FunctionArity,
  ) {}

  pipeline(): Pipeline {
    const commands: Operand[] = [];
    for (;;) {
      commands.push(this.command(commands.length > 0));
      if (this.w[this.at] !== '|') return commands;
      this.at++;
    }
  }

  done(): boolean {
    return this.at >= this.w.length;
  }

  private command(piped: boolean): Operand {
    const first = this.w[this.at];
    if (first === undefined || first === '|' || first === ')')
      throw new TemplateSyntaxError('missing value for command');
    if (this.isName(first)) {
      this.at++;
      const args: Operand[] = [];
      while (this.at < this.w.length && this.w[this.at] !== '|' && this.w[this.at] !== ')')
        args.push(this.operand());
      const arity = this.functions.get(first);
      const count = args.length + (piped ? 1 : 0);
      if (arity !== undefined && count !== arity)
        throw new TemplateSyntaxError(
          `wrong number of args for ${first}: want ${arity} got ${count}`,
        );
      if (arity === undefined && count === 0)
        throw new TemplateSyntaxError(`missing arguments for ${first}`);
      return { kind: 'call', name: first, args };
    }
    const operand = this.operand();
    if (this.at < this.w.length && this.w[this.at] !== '|' && this.w[this.at] !== ')')
      throw new TemplateSyntaxError(
        `can't give argument to non-function ${this.w[this.at - 1] ?? ''}`,
      );
    if (piped) throw new TemplateSyntaxError('only a function can take a piped value');
    return operand;
  }

  private isName(word: string): boolean {
    if (!/^[A-Za-z_]\w*$/.test(word) || word === 'true' || word === 'false' || word === 'nil')
      return false;
    if (UNSUPPORTED.includes(word))
      throw new TemplateSyntaxError(`"${word}" is not supported in Signet's templates`);
    if (!this.functions.has(word)) throw new TemplateSyntaxError(`function "${word}" not defined`);
    return true;
  }

  private operand(): Operand {
    const word = this.w[this.at++]!;
    if (word === '(') {
      const pipeline = this.pipeline();
      if (this.w[this.at++] !== ')') throw new TemplateSyntaxError('unclosed left paren');
      return { kind: 'pipeline', pipeline };
    }
    if (word === '.') return { kind: 'field', path: [] };
    if (/^(\.[A-Za-z_]\w*)+$/.test(word)) return { kind: 'field', path: word.slice(1).split('.') };
    if (word.startsWith('$'))
      throw new TemplateSyntaxError(`variables (${word}) are not supported in Signet's templates`);
    if (word.startsWith('"')) return { kind: 'literal', value: JSON.parse(word) as string };
    if (word.startsWith('`')) return { kind: 'literal', value: word.slice(1, -1) };
    if (word.startsWith("'"))
      throw new TemplateSyntaxError(`character constants (${word}) are not supported`);
    if (word === 'true' || word === 'false') return { kind: 'literal', value: word === 'true' };
    if (word === 'nil') return { kind: 'literal', value: null };
    if (/^[+-]?\d+$/.test(word)) return { kind: 'literal', value: Number(word) };
    if (this.isName(word)) return { kind: 'call', name: word, args: [] };
    throw new TemplateSyntaxError(`unexpected ${JSON.stringify(word)} in operand`);
  }
}

/** Parses a template; throws TemplateSyntaxError naming the construct it refuses. */
export function parseTemplate(template: string, functions: FunctionArity): TemplateNode[] {
  const tokens = split(template);
  let i = 0;
  const pipelineOf = (body: string): Pipeline => {
    const parser = new ActionParser(words(body), functions);
    const pipeline = parser.pipeline();
    if (!parser.done())
      throw new TemplateSyntaxError(`unexpected words after the pipeline in {{${body}}}`);
    return pipeline;
  };
  // Reads nodes until {{else…}} or {{end}}; returns the nodes and the body that stopped it.
  const list = (inside: boolean): [TemplateNode[], string | undefined] => {
    const nodes: TemplateNode[] = [];
    while (i < tokens.length) {
      const token = tokens[i++]!;
      if (token.t === 'text') {
        nodes.push({ kind: 'text', text: token.v });
        continue;
      }
      const body = token.v;
      if (body.startsWith('/*')) {
        if (!body.endsWith('*/')) throw new TemplateSyntaxError('unclosed comment');
        continue;
      }
      const keyword = /^[a-z]+/.exec(body)?.[0];
      if (keyword === 'end' || keyword === 'else') {
        if (!inside) throw new TemplateSyntaxError(`unexpected {{${keyword}}}`);
        return [nodes, body];
      }
      if (keyword === 'if') nodes.push(ifNode(body.slice(2)));
      else if (
        keyword !== undefined &&
        UNSUPPORTED.slice(0, 7).includes(keyword) &&
        /^[a-z]+(\s|$)/.test(body)
      )
        throw new TemplateSyntaxError(`{{${keyword}}} is not supported in Signet's templates`);
      else nodes.push({ kind: 'action', pipeline: pipelineOf(body) });
    }
    if (inside) throw new TemplateSyntaxError('unexpected EOF: an {{if}} has no {{end}}');
    return [nodes, undefined];
  };
  const ifNode = (condition: string): TemplateNode => {
    if (condition.trim() === '') throw new TemplateSyntaxError('missing value for if');
    const cond = pipelineOf(condition);
    const [then, stop] = list(true);
    let otherwise: TemplateNode[] = [];
    if (stop !== undefined && stop.startsWith('else')) {
      const rest = stop.slice(4).trim();
      if (rest.startsWith('if')) otherwise = [ifNode(rest.slice(2))];
      else {
        if (rest !== '')
          throw new TemplateSyntaxError(`unexpected ${JSON.stringify(rest)} after else`);
        const [nodes, end] = list(true);
        if (end !== 'end') throw new TemplateSyntaxError('expected {{end}} after {{else}}');
        otherwise = nodes;
      }
    } else if (stop !== 'end') throw new TemplateSyntaxError(`unexpected {{${stop ?? ''}}}`);
    return { kind: 'if', cond, then, otherwise };
  };
  return list(false)[0];
}
