/**
 * A reader of the Prometheus text format for the tests, written from the
 * format's description (not Signet's or prom-client's code): families with
 * their TYPE, and every sample by name and labels.
 */

export interface ExpositionSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  type: string;
  readonly samples: ExpositionSample[];
}

export interface Exposition {
  readonly families: ReadonlyMap<string, Family>;
  /** sampleKey(name, labels) → value. */
  readonly samples: ReadonlyMap<string, number>;
  /** The value of the sample named `name` with exactly `labels`. */
  readonly value: (name: string, labels?: Readonly<Record<string, string>>) => number | undefined;
}

export function sampleKey(name: string, labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${name}{${pairs.join(',')}}`;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/g;
const SUFFIXES = ['_bucket', '_count', '_sum'];

export function parseExposition(text: string): Exposition {
  const families = new Map<string, Family>();
  const samples = new Map<string, number>();
  const family = (name: string): Family => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: 'untyped', samples: [] }));
    return f;
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      family(name!).type = type!;
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL))
      labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    const name = m[1]!;
    const value = Number(m[3]!.replace(/^\+Inf$/, 'Infinity').replace(/^-Inf$/, '-Infinity'));
    const suffix = SUFFIXES.find((s) => name.endsWith(s) && families.has(name.slice(0, -s.length)));
    const f = family(suffix ? name.slice(0, -suffix.length) : name);
    f.samples.push({ name, labels, value });
    samples.set(sampleKey(name, labels), value);
  }
  return {
    families,
    samples,
    value: (name, labels = {}) => samples.get(sampleKey(name, labels)),
  };
}
