/**
 * Label and field selectors as the Kubernetes API server evaluates them
 * (apimachinery's labels.Parse and fields.ParseSelector), for the API
 * stand-in: `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x,y)`,
 * requirements joined by commas, all of which must hold.
 */

export interface KubeObject {
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    resourceVersion?: string;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

type Requirement = (value: string | undefined) => boolean;

/** Splits on commas that are not inside `( … )`. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseRequirement(text: string): [key: string, test: Requirement] {
  let m = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (m) {
    const values = new Set(m[3]!.split(',').map((v) => v.trim()));
    return m[2] === 'in'
      ? [m[1]!, (v) => v !== undefined && values.has(v)]
      : [m[1]!, (v) => v === undefined || !values.has(v)];
  }
  m = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s,]*)$/.exec(text);
  if (m) {
    const want = m[3]!;
    return m[2] === '!=' ? [m[1]!, (v) => v !== want] : [m[1]!, (v) => v === want];
  }
  m = /^!\s*([^\s!=]+)$/.exec(text);
  if (m) return [m[1]!, (v) => v === undefined];
  m = /^([^\s!=]+)$/.exec(text);
  if (m) return [m[1]!, (v) => v !== undefined];
  throw new SelectorError(`unable to parse requirement: ${text}`);
}

export class SelectorError extends Error {}

/** A predicate over values looked up by key; throws SelectorError on bad syntax. */
export function parseSelector(
  text: string,
): (lookup: (key: string) => string | undefined) => boolean {
  const requirements = splitTopLevel(text).map(parseRequirement);
  return (lookup) => requirements.every(([key, test]) => test(lookup(key)));
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The fields each kind may be selected by, as the API server registers them. */
export function fieldValue(kind: string, obj: KubeObject, field: string): string | undefined {
  switch (field) {
    case 'metadata.name':
      return obj.metadata.name;
    case 'metadata.namespace':
      return obj.metadata.namespace ?? '';
  }
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const status = (obj.status ?? {}) as Record<string, unknown>;
  if (kind === 'pods') {
    if (field === 'spec.nodeName') return text(spec.nodeName);
    if (field === 'status.phase') return text(status.phase);
    if (field === 'status.podIP') return text(status.podIP);
    if (field === 'spec.restartPolicy') return text(spec.restartPolicy);
  }
  if (kind === 'nodes' && field === 'spec.unschedulable')
    return String(spec.unschedulable === true);
  throw new SelectorError(
    `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
  );
}
