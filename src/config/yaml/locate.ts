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
