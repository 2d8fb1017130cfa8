/**
 * The few Sprig functions (Promtail's template stage has all of Sprig) that
 * Promtail configurations reach for most: lower/upper, trim, trimPrefix,
 * trimSuffix, replace, trunc, contains, hasPrefix, hasSuffix and default,
 * with Sprig's argument order (the piped value last). Any other Sprig
 * function is refused by name when the template is compiled.
 */
import { ExecError, str, truth, type TemplateFunction, type Value } from './values.js';

const SPACE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

function int(v: Value, fn: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[+-]?\d+$/.test(v)) return Number(v);
  throw new ExecError(`${fn}: expected a number`);
}

export const SPRIG_FUNCTIONS: readonly [
  string,
  [arity: number | undefined, fn: TemplateFunction],
][] = [
  ['lower', [1, (a) => str(a[0], 'lower').toLowerCase()]],
  ['upper', [1, (a) => str(a[0], 'upper').toUpperCase()]],
  ['trim', [1, (a) => str(a[0], 'trim').replace(SPACE, '')]],
  [
    'trimPrefix',
    [
      2,
      (a) => {
        const [p, s] = [str(a[0], 'trimPrefix'), str(a[1], 'trimPrefix')];
        return s.startsWith(p) ? s.slice(p.length) : s;
      },
    ],
  ],
  [
    'trimSuffix',
    [
      2,
      (a) => {
        const [p, s] = [str(a[0], 'trimSuffix'), str(a[1], 'trimSuffix')];
        return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
      },
    ],
  ],
  [
    'replace',
    [3, (a) => str(a[2], 'replace').split(str(a[0], 'replace')).join(str(a[1], 'replace'))],
  ],
  [
    'trunc',
    [
      2,
      (a) => {
        const [n, s] = [int(a[0], 'trunc'), str(a[1], 'trunc')];
        if (n < 0 && s.length + n > 0) return s.slice(s.length + n);
        if (n >= 0 && s.length > n) return s.slice(0, n);
        return s;
      },
    ],
  ],
  ['contains', [2, (a) => str(a[1], 'contains').includes(str(a[0], 'contains'))]],
  ['hasPrefix', [2, (a) => str(a[1], 'hasPrefix').startsWith(str(a[0], 'hasPrefix'))]],
  ['hasSuffix', [2, (a) => str(a[1], 'hasSuffix').endsWith(str(a[0], 'hasSuffix'))]],
  // default takes a missing value too: that is what it is for.
  ['default', [2, (a) => (truth(a[1]) ? a[1] : a[0])]],
];
