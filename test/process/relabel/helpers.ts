// Shared by the relabel tests: label sets as plain records, rules as YAML would give them.
import assert from 'node:assert/strict';
import { labelsFromRecord, type Labels } from '../../../src/model/labels.js';
import {
  compileRelabelConfigs,
  relabel,
  RelabelConfigError,
  type RelabelOptions,
} from '../../../src/process/relabel/index.js';

export function toRecord(labels: Labels): Record<string, string> {
  return Object.fromEntries(labels.map((l) => [l.name, l.value]));
}

/** Runs `rules` over `input`; the record of the result, or 'dropped'. */
export function run(
  input: Record<string, string>,
  rules: readonly unknown[],
  options?: RelabelOptions,
): Record<string, string> | 'dropped' {
  const compiled = compileRelabelConfigs(rules, 'relabel_configs', options);
  const out = relabel(labelsFromRecord(input), compiled);
  if (out === undefined) return 'dropped';
  const names = out.map((l) => l.name);
  assert.deepEqual(names, [...names].sort(), 'result is sorted by name');
  assert.ok(
    out.every((l) => l.value !== ''),
    'result has no empty values',
  );
  return toRecord(out);
}

/** The RelabelConfigError compiling `rules` raises. */
export function configError(
  rules: readonly unknown[],
  options?: RelabelOptions,
): RelabelConfigError {
  try {
    compileRelabelConfigs(rules, 'scrape_configs[0].relabel_configs', options);
  } catch (err) {
    assert.ok(err instanceof RelabelConfigError, `expected RelabelConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the rules to be refused');
}
