/**
 * What the two formats allow in `# TYPE` and `# UNIT` lines, and how metadata
 * reaches the sink.
 */
import type { ParseSink } from './types.js';
import { detach } from './text.js';

/** Prometheus text format 0.0.4. */
export const PROM_TYPES: ReadonlySet<string> = new Set([
  'counter',
  'gauge',
  'histogram',
  'summary',
  'untyped',
]);

/** OpenMetrics 1.0. */
export const OPENMETRICS_TYPES: ReadonlySet<string> = new Set([
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
  'unknown',
]);

/** Whether `unit` may be declared for `metric`: OpenMetrics wants the name to end in `_<unit>`. */
export function unitFitsMetric(metric: string, unit: string): boolean {
  return (
    unit === '' ||
    (metric.length >= unit.length + 1 &&
      metric.endsWith(unit) &&
      metric.charCodeAt(metric.length - unit.length - 1) === 0x5f)
  );
}

/**
 * The most of a HELP text kept. Prometheus keeps it whole, but a page of
 * megabyte HELP lines then costs the agent memory and every metadata send;
 * no real help text comes near this.
 */
export const MAX_HELP_CHARS = 4096;

/** `text` cut to MAX_HELP_CHARS (not inside a surrogate pair), before it is unescaped or copied. */
export function boundedHelp(text: string): string {
  if (text.length <= MAX_HELP_CHARS) return text;
  const last = text.charCodeAt(MAX_HELP_CHARS - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_HELP_CHARS - 1 : MAX_HELP_CHARS);
}

/** Hands metadata to a sink that wants it, as strings that do not pin the body. */
export function emitMetadata(
  sink: ParseSink,
  name: string,
  kind: 'type' | 'help' | 'unit',
  text: string,
): void {
  sink.metadata?.(detach(name), kind, detach(text));
}
