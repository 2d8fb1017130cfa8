/**
 * Finds where a key path sits in the parsed YAML (or JSON) document, so a
 * schema error can point at a line and column rather than only at a path.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Holds the key node too, so an unknown key can be pointed at itself. */
interface Found {
  readonly node: Node;
  readonly keyNode?: Node;
}

function child(node: Node, segment: PropertyKey): Found | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key;
      if (isScalar(key) && String(key.value) === String(segment)) {
        const value = pair.value;
        const keyNode = key as Node;
        // A key with no value (`policy:`) has no value node; the key stands in.
        return { node: (value as Node | null) ?? keyNode, keyNode };
      }
    }
    return undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined || item === null ? undefined : { node: item as Node };
  }
  return undefined;
}

function positionOf(node: Node, lines: LineCounter): Position | undefined {
  const start = node.range?.[0];
  if (start === undefined) return undefined;
  const { line, col } = lines.linePos(start);
  return { line, column: col };
}

/**
 * The position of the deepest node along `path`; a missing key resolves to its
 * parent. With `atKey`, the key of the last segment rather than its value.
 */
export function locate(
  doc: Document,
  lines: LineCounter,
  path: readonly PropertyKey[],
  atKey = false,
): Position | undefined {
  let current: Found | undefined = doc.contents ? { node: doc.contents } : undefined;
  if (!current) return undefined;
  for (const segment of path) {
    const next = child(current.node, segment);
    if (!next) break;
    current = next;
  }
  return positionOf(atKey && current.keyNode ? current.keyNode : current.node, lines);
}

/**
 * The key path of the innermost node whose source range holds `offset`, for a
 * problem found in the text (an unset `${VAR}`) rather than in the data.
 */
export function pathAtOffset(doc: Document, offset: number): PropertyKey[] {
  const path: PropertyKey[] = [];
  const holds = (node: unknown): boolean => {
    const range = (node as Node | null)?.range;
    return range !== undefined && range !== null && offset >= range[0] && offset < range[2];
  };
  let node: unknown = doc.contents;
  for (let depth = 0; depth < 100 && node; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => holds(p.value) || holds(p.key));
      if (!pair || !isScalar(pair.key)) break;
      path.push(String(pair.key.value));
      node = holds(pair.value) ? pair.value : undefined;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => holds(item));
      if (index < 0) break;
      path.push(index);
      node = node.items[index];
    } else break;
  }
  return path;
}
