/**
 * Reading a received sequence of numbered lines against what was written:
 * what is missing, what came twice, where the order first broke. Used by the
 * logs interop tests so a failure says what went wrong, not just "not equal".
 */
export interface SequenceReport {
  readonly received: number;
  readonly missing: number[];
  /** Numbers received more than once, with how many times. */
  readonly duplicates: [seq: number, times: number][];
  /** The first place a number came after a larger one, if any. */
  readonly firstOutOfOrder: { index: number; previous: number; seq: number } | undefined;
}

export function checkSequence(seqs: readonly number[], from: number, to: number): SequenceReport {
  const times = new Map<number, number>();
  let firstOutOfOrder: SequenceReport['firstOutOfOrder'];
  seqs.forEach((seq, index) => {
    times.set(seq, (times.get(seq) ?? 0) + 1);
    const previous = seqs[index - 1];
    if (firstOutOfOrder === undefined && previous !== undefined && seq < previous)
      firstOutOfOrder = { index, previous, seq };
  });
  const missing: number[] = [];
  for (let seq = from; seq <= to; seq++) if (!times.has(seq)) missing.push(seq);
  const duplicates = [...times].filter(([, n]) => n > 1);
  return { received: seqs.length, missing, duplicates, firstOutOfOrder };
}

/** True when the sequence is exactly from…to, each once, ascending. */
export function isExact(report: SequenceReport): boolean {
  return (
    report.missing.length === 0 &&
    report.duplicates.length === 0 &&
    report.firstOutOfOrder === undefined
  );
}

/** Ascending numbers as ranges: `1-300, 512, 900-901`. */
export function ranges(seqs: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < seqs.length;) {
    let j = i;
    while (j + 1 < seqs.length && seqs[j + 1] === seqs[j]! + 1) j++;
    parts.push(i === j ? `${seqs[i]}` : `${seqs[i]}-${seqs[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** A short account for an assertion message (missing as ranges, first ten of the rest). */
export function describeSequence(report: SequenceReport): string {
  const some = <T>(items: readonly T[]) =>
    `${items.length}${items.length ? ` (first: ${JSON.stringify(items.slice(0, 10))})` : ''}`;
  const missing = report.missing.length
    ? `${report.missing.length} (${ranges(report.missing).slice(0, 300)})`
    : '0';
  const order = report.firstOutOfOrder;
  return [
    `received ${report.received}`,
    `missing ${missing}`,
    `duplicated ${some(report.duplicates)}`,
    order
      ? `first out of order at #${order.index}: ${order.seq} after ${order.previous}`
      : 'in order',
  ].join('; ');
}
