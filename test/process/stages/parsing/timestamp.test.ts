// The timestamp stage: Go's layouts and Promtail's named formats, location,
// fallback_formats and action_on_failure. Expected instants are computed with
// Date.UTC and the offsets written out, not with Signet's parser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configError, Harness, isoNs, run } from './helpers.js';

const ms = (...args: [number, number, number, number, number, number]): bigint =>
  BigInt(Date.UTC(...args)) * 1_000_000n;

function parsed(format: string, value: string, extra = '', now?: () => number): bigint {
  const yaml = `- timestamp: {source: ts, format: ${JSON.stringify(format)}${extra}, action_on_failure: skip}`;
  const h = new Harness(yaml, now)
    .push({ line: 'x', timestampNs: -1n, extracted: { ts: value } })
    .stop();
  return h.outputs[0]!.timestampNs;
}

describe('timestamp stage formats', () => {
  const cases: [format: string, value: string, expected: bigint][] = [
    // Promtail's own cases.
    ['RFC3339', '2106-01-02T23:04:05-04:00', ms(2106, 0, 3, 3, 4, 5)],
    ['Unix', '1562708916', ms(2019, 6, 9, 21, 48, 36)],
    ['Unix', '1562708916.414123', ms(2019, 6, 9, 21, 48, 36) + 414_123_000n],
    ['Unix', '1562708916.000000123', ms(2019, 6, 9, 21, 48, 36) + 123n],
    ['UnixMs', '1562708916414', ms(2019, 6, 9, 21, 48, 36) + 414_000_000n],
    ['UnixUs', '1562708916414123', ms(2019, 6, 9, 21, 48, 36) + 414_123_000n],
    ['UnixNs', '1562708916000000123', ms(2019, 6, 9, 21, 48, 36) + 123n],
    // Go's named layouts.
    ['ANSIC', 'Tue Jul  9 21:48:36 2019', ms(2019, 6, 9, 21, 48, 36)],
    ['UnixDate', 'Tue Jul  9 21:48:36 UTC 2019', ms(2019, 6, 9, 21, 48, 36)],
    ['RubyDate', 'Tue Jul 09 21:48:36 +0200 2019', ms(2019, 6, 9, 19, 48, 36)],
    ['RFC822', '09 Jul 19 21:48 UTC', ms(2019, 6, 9, 21, 48, 0)],
    ['RFC822Z', '09 Jul 19 21:48 -0700', ms(2019, 6, 10, 4, 48, 0)],
    ['RFC850', 'Tuesday, 09-Jul-19 21:48:36 UTC', ms(2019, 6, 9, 21, 48, 36)],
    ['RFC1123', 'Tue, 09 Jul 2019 21:48:36 GMT', ms(2019, 6, 9, 21, 48, 36)],
    ['RFC1123Z', 'Tue, 09 Jul 2019 21:48:36 +0100', ms(2019, 6, 9, 20, 48, 36)],
    ['RFC3339Nano', '2019-07-09T21:48:36.123456789Z', ms(2019, 6, 9, 21, 48, 36) + 123_456_789n],
    ['RFC3339Nano', '2019-07-09T21:48:36Z', ms(2019, 6, 9, 21, 48, 36)],
    // Reference layouts users write.
    ['02/Jan/2006:15:04:05 -0700', '10/Oct/2000:13:55:36 -0700', ms(2000, 9, 10, 20, 55, 36)],
    [
      '2006-01-02 15:04:05,000',
      '2019-07-09 21:48:36,123',
      ms(2019, 6, 9, 21, 48, 36) + 123_000_000n,
    ],
    [
      '2006-01-02T15:04:05.000000Z07:00',
      '2019-07-09T21:48:36.000001+05:30',
      ms(2019, 6, 9, 16, 18, 36) + 1_000n,
    ],
    ['2006-01-02 15:04:05', '2019-07-09 21:48:36.5', ms(2019, 6, 9, 21, 48, 36) + 500_000_000n],
    ['Jan _2 2006 3:04:05 PM', 'Jul  9 2019 9:48:36 PM', ms(2019, 6, 9, 21, 48, 36)],
    ['Jan _2 2006 3:04:05 pm', 'jul  9 2019 12:48:36 am', ms(2019, 6, 9, 0, 48, 36)],
    ['2006 002 15:04', '2019 190 21:48', ms(2019, 6, 9, 21, 48, 0)],
    ['02-01-06', '09-07-69', ms(1969, 6, 9, 0, 0, 0)],
    ['02-01-06', '09-07-68', ms(2068, 6, 9, 0, 0, 0)],
    ['2006-01-02T15:04:05Z0700', '2019-07-09T21:48:36Z', ms(2019, 6, 9, 21, 48, 36)],
    ['2006-01-02T15:04:05-07', '2019-07-09T21:48:36-03', ms(2019, 6, 10, 0, 48, 36)],
  ];
  for (const [format, value, expected] of cases) {
    it(`${format} reads ${JSON.stringify(value)}`, () =>
      assert.equal(parsed(format, value), expected));
  }

  const failures: [format: string, value: string][] = [
    ['2006-01-02', '2019-02-30'], // day out of range
    ['2006-01-02', '2019-13-01'],
    ['15:04 2006', '25:00 2019'],
    ['2006-01-02T15:04:05.000Z07:00', '2019-07-09T21:48:36.12Z'], // .000 wants three digits
    ['2006-01-02', '2019-07-09 extra'],
    ['RFC3339', '2019-07-09 21:48:36Z'],
    ['UnixMs', '1562708916.5'],
    ['Unix', 'soon'],
  ];
  for (const [format, value] of failures) {
    it(`${format} refuses ${JSON.stringify(value)} (the time stays)`, () =>
      assert.equal(parsed(format, value), -1n));
  }

  it('reads a wall time in `location`, summer and winter', () => {
    const loc = ', location: America/New_York';
    assert.equal(
      parsed('2006-01-02 15:04:05', '2019-07-22 20:29:32', loc),
      ms(2019, 6, 23, 0, 29, 32),
    );
    assert.equal(
      parsed('2006-01-02 15:04:05', '2019-01-22 20:29:32', loc),
      ms(2019, 0, 23, 1, 29, 32),
    );
    // An offset in the value wins over the location.
    assert.equal(
      parsed('2006-01-02 15:04:05 -0700', '2019-01-22 20:29:32 +0000', loc),
      ms(2019, 0, 22, 20, 29, 32),
    );
  });

  it('a layout without a year takes the current one, and last year for December read in January', () => {
    const july2026 = () => Date.UTC(2026, 6, 1);
    const january2027 = () => Date.UTC(2027, 0, 2);
    assert.equal(
      parsed('Jan 02 15:04:05', 'Jul 09 21:48:36', '', july2026),
      ms(2026, 6, 9, 21, 48, 36),
    );
    assert.equal(
      parsed('Jan 02 15:04:05', 'Dec 31 23:59:59', '', january2027),
      ms(2026, 11, 31, 23, 59, 59),
    );
  });

  it('tries fallback_formats in turn (Promtail’s case)', () => {
    const extra = `, fallback_formats: ["2006-01-02 03:04:05.000000000 +0000 UTC", RFC3339]`;
    assert.equal(parsed('UnixMs', '2012-11-01T22:08:41-04:00', extra), ms(2012, 10, 2, 2, 8, 41));
    assert.equal(
      parsed('UnixMs', '1562708916414', extra),
      ms(2019, 6, 9, 21, 48, 36) + 414_000_000n,
    );
  });

  it('reads numbers the json stage extracted', () => {
    const h = run('- timestamp: {source: ts, format: Unix}', {
      line: 'x',
      extracted: { ts: 1562708916 },
    });
    assert.equal(h.outputs[0]!.timestampNs, ms(2019, 6, 9, 21, 48, 36));
  });
});

describe('timestamp stage action_on_failure', () => {
  const FUDGE = '- timestamp: {source: time, format: RFC3339Nano}';
  const at = (time?: string, labels: Record<string, string> = {}) => ({
    line: '',
    labels,
    timestampNs: 1_000_000_000n,
    extracted: time === undefined ? {} : { time },
  });

  it('fudges per label set: the last good time plus 1ns each time (Promtail’s case)', () => {
    const h = run(
      FUDGE,
      at('2019-10-01T01:02:03.400000000Z', { filename: '/1.log' }),
      at('2019-10-01T01:02:03.800000000Z', { filename: '/2.log' }),
      at(undefined, { filename: '/1.log' }),
      at(undefined, { filename: '/2.log' }),
      at(undefined, { filename: '/1.log' }),
      at(undefined, { filename: '/3.log' }),
    );
    assert.deepEqual(
      h.outputs.map((e) => e.timestampNs),
      [
        isoNs('2019-10-01T01:02:03.400000000Z'),
        isoNs('2019-10-01T01:02:03.800000000Z'),
        isoNs('2019-10-01T01:02:03.400000001Z'),
        isoNs('2019-10-01T01:02:03.800000001Z'),
        isoNs('2019-10-01T01:02:03.400000002Z'),
        1_000_000_000n, // nothing known for this label set: the read time stays
      ],
    );
  });

  it('skip keeps the read time', () => {
    const h = run(
      `${FUDGE.slice(0, -1)}, action_on_failure: skip}`,
      at('2019-10-01T01:02:03.400000000Z'),
      at('garbage'),
    );
    assert.equal(h.outputs[1]!.timestampNs, 1_000_000_000n);
  });
});

describe('timestamp stage configuration', () => {
  const refused: [yaml: string, path: string, words: RegExp][] = [
    ['- timestamp: {format: RFC3339}', 'timestamp.source', /is required/],
    ['- timestamp: {source: ts}', 'timestamp.format', /is required/],
    [
      '- timestamp: {source: ts, format: RFC3339, action_on_failure: foo}',
      'timestamp.action_on_failure',
      /invalid action on failure/,
    ],
    [
      '- timestamp: {source: ts, format: RFC3339, location: Mars/Olympus}',
      'timestamp.location',
      /invalid location/,
    ],
    [
      '- timestamp: {source: ts, format: RFC3339, fallback_formats: RFC3339}',
      'timestamp.fallback_formats',
      /must be a list/,
    ],
    [
      '- timestamp: {source: ts, format: RFC3339, fallback_formats: [""]}',
      'timestamp.fallback_formats[0]',
      /must be a format/,
    ],
    [
      '- timestamp: {source: ts, format: "%Y-%m-%d %H:%M:%S"}',
      'timestamp.format',
      /has no part of Go's reference time/,
    ],
    [
      '- timestamp: {source: ts, format: RFC3339, fallback_formats: [Unix, "yyyy-MM-dd HH:mm:ss"]}',
      'timestamp.fallback_formats[1]',
      /reference time/,
    ],
    [
      '- timestamp: {source: ts, format: RFC3339, formats: [Unix]}',
      'timestamp.formats',
      /not a setting of the timestamp stage/,
    ],
  ];
  for (const [yaml, path, words] of refused) {
    it(`refuses ${yaml}`, () => {
      const err = configError(yaml);
      assert.equal(err.path, `logs.configs[0].scrape_configs[0].pipeline_stages[0].${path}`);
      assert.match(err.message, words);
    });
  }
});

describe('timestamp stage zone abbreviations', () => {
  const layout = '2006-01-02 15:04:05 MST';
  it('takes an abbreviation the location has with its offset, as Go’s ParseInLocation does', () => {
    const loc = ', location: America/Los_Angeles';
    assert.equal(parsed(layout, '2019-01-22 20:29:32 PST', loc), ms(2019, 0, 23, 4, 29, 32));
    assert.equal(parsed(layout, '2019-07-22 20:29:32 PDT', loc), ms(2019, 6, 23, 3, 29, 32));
    // PDT written in winter still means -07:00.
    assert.equal(parsed(layout, '2019-01-22 20:29:32 PDT', loc), ms(2019, 0, 23, 3, 29, 32));
  });

  it('reads an abbreviation it does not know as UTC, as Go’s time.Parse does', () => {
    assert.equal(parsed(layout, '2019-01-22 20:29:32 PST'), ms(2019, 0, 22, 20, 29, 32));
    assert.equal(parsed(layout, '2019-01-22 20:29:32 UTC'), ms(2019, 0, 22, 20, 29, 32));
    assert.equal(parsed(layout, '2019-01-22 20:29:32 x'), -1n);
  });
});
