/**
 * The parsed form of an RE2 pattern. Flags are resolved per node while
 * parsing (`fold` on literals and classes, `nl` on dots, greediness on
 * repeats, line mode on anchors), because RE2 scopes them to groups and
 * Node 20's JavaScript has no scoped flags.
 */
export type Node =
  | { readonly kind: 'empty' }
  | { readonly kind: 'literal'; readonly cp: number; readonly fold: boolean }
  | { readonly kind: 'class'; readonly cls: CharClass; readonly fold: boolean }
  | { readonly kind: 'dot'; readonly nl: boolean }
  | { readonly kind: 'assert'; readonly what: Assertion }
  | {
      readonly kind: 'group';
      /** Capture index (1-based), or 0 for a non-capturing group. */
      readonly index: number;
      readonly body: Node;
    }
  | { readonly kind: 'concat'; readonly items: readonly Node[] }
  | { readonly kind: 'alt'; readonly items: readonly Node[] }
  | {
      readonly kind: 'repeat';
      readonly min: number;
      /** -1 for unbounded. */
      readonly max: number;
      readonly greedy: boolean;
      /** `{n,m}` rather than `*`, `+`, `?`: only these count toward RE2's 1000 limit. */
      readonly counted: boolean;
      readonly body: Node;
    };

export type Assertion =
  'beginText' | 'endText' | 'beginLine' | 'endLine' | 'wordBoundary' | 'notWordBoundary';

/** One piece of a bracket class (or a lone `\d`, `\pL`). */
export type ClassItem =
  /** Perl or POSIX class; negated ones are folded before they are negated, as Go does. */
  | { readonly kind: 'ascii'; readonly ranges: readonly number[]; readonly negated: boolean }
  | { readonly kind: 'ranges'; readonly ranges: readonly number[]; readonly negated: boolean }
  | { readonly kind: 'prop'; readonly props: readonly string[]; readonly negated: boolean };

export interface CharClass {
  readonly negated: boolean;
  readonly items: readonly ClassItem[];
}
