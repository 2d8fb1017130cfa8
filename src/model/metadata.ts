/** What a target says about a metric family in `# TYPE`, `# HELP` and `# UNIT` lines. */
export interface MetricMetadata {
  /** The family name as the `# TYPE` line gives it. */
  readonly family: string;
  /** `counter`, `gauge`, `histogram`, `gaugehistogram`, `summary`, `info`, `stateset`, `unknown` (or `untyped`). */
  readonly type: string;
  readonly help: string;
  readonly unit: string;
}
