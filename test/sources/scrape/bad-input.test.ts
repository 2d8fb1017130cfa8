/**
 * Bad input bounded as Prometheus bounds it: invalid UTF-8 refused with its
 * line, body_size_limit enforced while the body is read, HELP texts and
 * metadata kept bounded, and a real agent's /metrics answering while it
 * parses a page of hundreds of thousands of series.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { BodyBuffer, fetchTarget, ScrapeError } from '../../../src/sources/scrape/fetch-target.js';
import { getLabel, labelsFromRecord } from '../../../src/model/labels.js';
import { SeriesTable } from '../../../src/model/series.js';
import { jobHttp } from '../../../src/sources/scrape/http-client.js';
import { ScrapeLoop } from '../../../src/sources/scrape/loop.js';
import {
  ExpositionError,
  parseExpositionBytes,
  type ParseSink,
} from '../../../src/sources/scrape/parse/index.js';
import { PageTarget, seriesPage, startChildAgent } from '../../helpers/agent-child.js';

function parseAll(bytes: Buffer, format: 'prometheus-text' | 'openmetrics' = 'prometheus-text') {
  const samples: string[] = [];
  const help: string[] = [];
  const sink: ParseSink = {
    sample: (text) => samples.push(text),
    metadata: (_name, kind, text) => {
      if (kind === 'help') help.push(text);
    },
  };
  parseExpositionBytes(bytes, format, sink);
  return { samples, help };
}

/** `before` + the bytes + `after`, as one body. */
function withBytes(before: string, bytes: number[], after: string): Buffer {
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
}

test('invalid UTF-8 in a label value, a label name, a metric name or HELP fails the parse naming its line', () => {
  const filler = 'ok_metric{a="b"} 1\n'.repeat(5000); // more than one 64 KiB run before the fault
  const lines = 5000;
  for (const [where, body] of [
    ['label value', withBytes(`${filler}m{path="/caf`, [0xc3, 0x28], `"} 1\n`)],
    ['label value (lone continuation byte)', withBytes(`${filler}m{v="`, [0x80], `"} 1\n`)],
    ['label value (surrogate)', withBytes(`${filler}m{v="`, [0xed, 0xa0, 0x80], `"} 1\n`)],
    ['HELP text', withBytes(`${filler}# HELP m help `, [0xff], `\nm 1\n`)],
    ['label name', withBytes(`${filler}m{na`, [0xc3], `me="v"} 1\n`)],
    ['metric name', withBytes(`${filler}metr`, [0xe2, 0x82], `ic 1\n`)],
  ] as const) {
    assert.throws(
      () => parseAll(body),
      (e: unknown) => {
        assert.ok(e instanceof ExpositionError, `${where}: ${String(e)}`);
        assert.equal(e.line, lines + 1, where);
        assert.match(e.message, /invalid UTF-8/, where);
        return true;
      },
    );
  }
  // OpenMetrics is parsed whole; it is refused the same way.
  assert.throws(
    () => parseAll(withBytes('# TYPE m gauge\nm{v="', [0xfe], '"} 1\n# EOF\n'), 'openmetrics'),
    (e: unknown) => e instanceof ExpositionError && e.line === 2 && /invalid UTF-8/.test(e.message),
  );
  // Valid multi-byte UTF-8 passes, and a plain comment (skipped unread) may hold anything.
  const ok = parseAll(
    withBytes('# a comment ', [0xff, 0xfe], '\n# HELP m Größe ☃ 𝄞\nm{v="é☃𝄞"} 1\n'),
  );
  assert.deepEqual(ok.samples, ['m{v="é☃𝄞"}']);
  assert.deepEqual(ok.help, ['Größe ☃ 𝄞']);
});

test('HELP text is kept to a bounded length', () => {
  const { help } = parseAll(Buffer.from(`# HELP m ${'x'.repeat(1_000_000)}\nm 1\n`));
  assert.equal(help.length, 1);
  assert.ok(help[0]!.length <= 4096, `kept ${help[0]!.length} characters`);
  assert.ok(help[0]!.startsWith('xxxx'));
});

test('body_size_limit stops reading at the limit: an endless body fails at once, not at the timeout', async (t) => {
  let written = 0;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.from('m{x="y"} 1\n'.repeat(6000));
    const more = (): void => {
      while (written < 1024 ** 3 && res.write(chunk)) written += chunk.length;
      if (written < 1024 ** 3) res.once('drain', more);
      else res.end();
    };
    res.on('close', () => (written = 1024 ** 3));
    more();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const started = Date.now();
  await assert.rejects(
    fetchTarget({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
      timeoutMs: 20_000,
      bodySizeLimit: 1024 * 1024,
      http: jobHttp({ follow_redirects: true, enable_http2: false }, 'test'),
      userAgent: 'Signet/test',
      buffer: new BodyBuffer(),
    }),
    (e: unknown) => e instanceof ScrapeError && /body size limit of 1048576 bytes/.test(e.message),
  );
  assert.ok(Date.now() - started < 5000, `failed after ${Date.now() - started} ms`);
  assert.ok(
    written < 64 * 1024 * 1024,
    `the server wrote ${written} bytes before the scrape stopped`,
  );
});

test("the agent's /metrics answers within 2 s while it parses a page of 400,000 series", async (t) => {
  const target = await PageTarget.start(seriesPage(400_000));
  const agent = await startChildAgent(target.address, { interval: '4s', timeout: '4s' });
  t.after(async () => {
    await agent.stop();
    await target.close();
  });
  for (let i = 0; i < 120 && target.requests === 0; i++)
    await new Promise((r) => setTimeout(r, 50));
  assert.ok(target.requests > 0, 'the page was requested');
  let slowest = 0;
  let answers = 0;
  let up = false;
  const until = Date.now() + 25_000;
  while (!up && Date.now() < until) {
    const started = Date.now();
    const res = await fetch(`${agent.url}/metrics`, { signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    slowest = Math.max(slowest, Date.now() - started);
    answers++;
    assert.equal(res.status, 200);
    assert.ok(text.length > 0);
    const targets = (await (await fetch(`${agent.url}/agent/api/v1/metrics/targets`)).json()) as {
      data: { health: string; lastError: string }[];
    };
    up = targets.data[0]?.health === 'up';
    assert.notEqual(targets.data[0]?.health, 'down', targets.data[0]?.lastError);
    await new Promise((r) => setTimeout(r, 100));
  }
  t.diagnostic(`/metrics answered ${answers} times while scraping, the slowest in ${slowest} ms`);
  assert.ok(up, 'the scrape finished');
  assert.ok(answers >= 3, `answered ${answers} times while scraping`);
  assert.ok(slowest < 2000, `the slowest /metrics answer took ${slowest} ms`);
});

test('label_value_length_limit: a 1 MB label value fails the scrape at that series; nothing of the page is forwarded', async (t) => {
  const page = Buffer.from(
    `before{a="1"} 1\nhuge{v="${'x'.repeat(1024 * 1024)}"} 2\n${'after{i="%"} 3\n'.repeat(1000)}`,
  );
  const target = await PageTarget.start(page);
  t.after(() => target.close());
  const table = new SeriesTable();
  const appended: number[] = [];
  let seriesAsked = 0;
  const loop = new ScrapeLoop({
    target: {
      url: `http://${target.address}/metrics`,
      labels: labelsFromRecord({ instance: target.address, job: 'limits' }),
      intervalMs: 60_000,
      timeoutMs: 10_000,
      key: target.address,
    },
    appender: {
      series: (labels) => {
        seriesAsked++;
        return table.create(labels).id;
      },
      append: (batch) => {
        for (let i = 0; i < batch.count; i++) appended.push(batch.ids[i]!);
      },
    },
    fetch: {
      bodySizeLimit: 0,
      http: jobHttp({ follow_redirects: true, enable_http2: false }, 'test'),
      userAgent: 'Signet/test',
    },
    honorLabels: false,
    honorTimestamps: true,
    sampleLimit: 0,
    limits: { labelLimit: 0, nameLengthLimit: 0, valueLengthLimit: 1024 },
    metricRelabel: [],
  });
  await loop.scrapeOnce();
  assert.equal(loop.status().health, 'down');
  assert.match(
    loop.status().lastError,
    /label_value_length_limit exceeded \(label: v, length: 1048576, limit: 1024\)/,
  );
  // Five report series and `before`; the parse stopped at `huge`, so no `after` was ever looked at.
  assert.equal(seriesAsked, 5 + 1);
  const names = appended.map((id) => getLabel(table.get(id)!.labels, '__name__'));
  assert.ok(!names.includes('huge') && !names.includes('after'), names.join(' '));
  assert.equal(names.filter((n) => n === 'up').length, 1);
});

test("a target's body buffer grown for one huge page is let go once its pages are small again", async () => {
  const buffer = new BodyBuffer();
  const held = (): number => (buffer as unknown as { bytes: Buffer }).bytes.length;
  function stream(bytes: number): AsyncIterable<Buffer> {
    return Readable.from(pieces(bytes));
  }
  function* pieces(bytes: number): Iterable<Buffer> {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    for (let left = bytes; left > 0; left -= chunk.length)
      yield chunk.subarray(0, Math.min(left, chunk.length));
  }
  assert.equal((await buffer.read(stream(40 * 1024 * 1024))).length, 40 * 1024 * 1024);
  assert.ok(held() >= 40 * 1024 * 1024);
  await buffer.read(stream(100_000));
  assert.equal((await buffer.read(stream(100_000))).length, 100_000);
  assert.ok(held() < 1024 * 1024, `still holds ${held()} bytes`);
  // A steady large page keeps its buffer (no new allocation per scrape).
  await buffer.read(stream(30 * 1024 * 1024));
  const steady = held();
  await buffer.read(stream(30 * 1024 * 1024));
  assert.equal(held(), steady);
});
