/**
 * Random mutations of valid bodies (seeded, so every run sees the same ones)
 * must either parse or throw ExpositionError, never anything else; and the
 * scrape cache's way of checking label sets (once, for a new series) must
 * accept and reject exactly what checking every line strictly does, with the
 * same samples and the same error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExpositionError,
  parseExposition,
  type ExpositionFormat,
} from '../../../../src/sources/scrape/parse/index.js';
import { recordingSink, type LabelPolicy, type Sample } from './collect.js';
import { below, prng } from './prng.js';

const TEXT = `# HELP http_requests_total Requests.\\n\\\\ so far
# TYPE http_requests_total counter
http_requests_total{method="GET",route="/api/{id}",code="200"} 1027 1395066363000
http_requests_total{method="POST", route="/x}\\"y", code="400",} 3 1395066363000
  msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
# A comment.
metric_without_timestamp_and_labels 12.47
something_weird{problem="division by zero"} +Inf -3982045
rpc_duration_seconds { quantile = "0.5" , b = "}" } 4773
rpc_duration_seconds{quantile="0.9" a="b"}\t9001\t
rpc_duration_seconds_count 2693\r
empty{} NaN
`;

const OPENMETRICS = `# HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
# TYPE acme_http_router_request_seconds summary
# UNIT acme_http_router_request_seconds seconds
acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
# TYPE foo histogram
foo_bucket{le="0.01"} 0
foo_bucket{le="1.0",x="} # {"} 3 1520879607.789 # {trace_id="KOO5S4vxi0o}"} 0.67 1520879602.1
foo_bucket{le="+Inf"} 17 # {} 1
foo_count 17
foo_sum 324789.3
bar_total 1 # {a="b"} 2
# EOF
`;

const ALPHABET = [
  '{',
  '}',
  '"',
  '\\',
  '=',
  ',',
  ' ',
  '\t',
  '\n',
  '\r',
  '#',
  '.',
  '-',
  '+',
  'e',
  'a',
  '_',
  ':',
  '0',
  '9',
  '\x00',
  'é',
  'I',
  'n',
];

function mutate(body: string, random: () => number): string {
  let s = body;
  const edits = 1 + below(random, 3);
  for (let n = 0; n < edits; n++) {
    const at = below(random, s.length + 1);
    const pick = ALPHABET[below(random, ALPHABET.length)] ?? '';
    switch (below(random, 5)) {
      case 0:
        s = s.slice(0, at) + pick + s.slice(at + 1);
        break;
      case 1:
        s = s.slice(0, at) + pick + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at) + s.slice(at + 1 + below(random, 4));
        break;
      case 3: {
        const from = below(random, s.length);
        s = s.slice(0, at) + s.slice(from, from + below(random, 30)) + s.slice(at);
        break;
      }
      default:
        s = s.slice(0, at);
    }
  }
  return s;
}

type Outcome =
  | { readonly samples: readonly Sample[] }
  | { readonly samples: readonly Sample[]; readonly error: string };

function outcome(body: string, format: ExpositionFormat, policy: LabelPolicy): Outcome {
  const sink = recordingSink(policy);
  try {
    parseExposition(body, format, sink);
    return { samples: sink.samples };
  } catch (e) {
    if (!(e instanceof ExpositionError)) {
      assert.fail(`${format} body threw ${String(e)}: ${JSON.stringify(body)}`);
    }
    return { samples: sink.samples, error: `${e.line}:${e.column}: ${e.detail}` };
  }
}

for (const [format, base, seed] of [
  ['prometheus-text', TEXT, 1],
  ['openmetrics', OPENMETRICS, 2],
] as const) {
  test(`${format}: the unmutated body parses`, () => {
    assert.ok(!('error' in outcome(base, format, 'new-series')));
  });

  test(`${format}: 3000 mutations parse or throw ExpositionError, cache or no cache alike`, () => {
    const random = prng(seed);
    let failed = 0;
    for (let n = 0; n < 3000; n++) {
      const body = mutate(base, random);
      const cached = outcome(body, format, 'new-series');
      assert.deepEqual(cached, outcome(body, format, 'every-sample'), JSON.stringify(body));
      outcome(body, format, 'never');
      if ('error' in cached) failed++;
    }
    // The mutations must exercise both outcomes to mean anything.
    assert.ok(failed > 300 && failed < 2700, `${failed} of 3000 failed`);
  });
}
