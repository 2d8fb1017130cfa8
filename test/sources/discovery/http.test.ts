/**
 * http_sd_configs against an HTTP SD server on 127.0.0.1 (node:http): the
 * groups and `__meta_url` Prometheus 2.42 makes of the JSON
 * (discovery/http/http.go Refresh), its request headers and the entry's
 * auth, changes within one refresh_interval, and every kind of bad answer
 * counted with the last good list kept.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpDiscoverer } from '../../../src/sources/discovery/http/index.js';
import type { HttpSdSettings } from '../../../src/sources/discovery/http/index.js';
import { addresses, collect } from './sd-helpers.js';

const REFRESH_MS = 150;

interface Answer {
  status: number;
  contentType: string;
  body: string;
  location?: string;
}

async function sdServer(): Promise<{
  url: string;
  answer: Answer;
  seen: IncomingHttpHeaders[];
  close(): Promise<void>;
}> {
  const state = {
    answer: { status: 200, contentType: 'application/json', body: '[]' } as Answer,
    seen: [] as IncomingHttpHeaders[],
  };
  const server: Server = createServer((req, res) => {
    state.seen.push(req.headers);
    if (req.url === '/moved') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ targets: ['moved:1'] }]));
      return;
    }
    const a = state.answer;
    res.writeHead(a.status, {
      'content-type': a.contentType,
      ...(a.location ? { location: a.location } : {}),
    });
    res.end(a.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sd`,
    get answer() {
      return state.answer;
    },
    set answer(a: Answer) {
      state.answer = a;
    },
    seen: state.seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (groups: unknown): Answer => ({
  status: 200,
  contentType: 'application/json',
  body: JSON.stringify(groups),
});

async function discover(
  first: Answer,
  settings: Partial<HttpSdSettings> = {},
): Promise<{
  server: Awaited<ReturnType<typeof sdServer>>;
  seen: Awaited<ReturnType<typeof collect>>;
  logs: string[];
  failures: () => number;
  stop(): Promise<void>;
}> {
  const server = await sdServer();
  server.answer = first;
  const logs: string[] = [];
  let failures = 0;
  const discoverer = new HttpDiscoverer({
    settings: {
      url: server.url,
      refresh_interval: REFRESH_MS,
      follow_redirects: true,
      enable_http2: false,
      ...settings,
    },
    path: 'scrape_configs[0].http_sd_configs[0]',
    userAgent: 'Signet/test',
    log: (level, message) => logs.push(`${level}: ${message}`),
    onFailure: () => failures++,
  });
  const seen = await collect(discoverer);
  return {
    server,
    seen,
    logs,
    failures: () => failures,
    stop: async () => {
      await discoverer.stop();
      await server.close();
    },
  };
}

describe('http_sd_configs', { concurrency: true }, () => {
  test('groups get <url>:<index> sources and __meta_url; Prometheus headers and basic_auth are sent', async () => {
    const c = await discover(
      json([
        { targets: ['10.0.0.1:9100', '10.0.0.2:9100'], labels: { env: 'prod', __meta_rack: 'r1' } },
        { targets: ['10.0.0.3:9100'] },
      ]),
      { basic_auth: { username: 'sd', password: 's3cret' } },
    );
    try {
      const url = c.server.url;
      assert.deepEqual(
        [...c.seen.groups.values()],
        [
          {
            source: `${url}:0`,
            targets: [{ __address__: '10.0.0.1:9100' }, { __address__: '10.0.0.2:9100' }],
            labels: { env: 'prod', __meta_rack: 'r1', __meta_url: url },
          },
          {
            source: `${url}:1`,
            targets: [{ __address__: '10.0.0.3:9100' }],
            labels: { __meta_url: url },
          },
        ],
      );
      const h = c.server.seen[0]!;
      assert.equal(h.accept, 'application/json');
      assert.equal(h['x-prometheus-refresh-interval-seconds'], '0.15');
      assert.equal(h['user-agent'], 'Signet/test');
      assert.equal(h.authorization, `Basic ${Buffer.from('sd:s3cret').toString('base64')}`);
    } finally {
      await c.stop();
    }
  });

  test('targets appear, change and go within one refresh_interval', async () => {
    const c = await discover(json([]));
    try {
      const url = c.server.url;
      c.server.answer = json([{ targets: ['a:1'] }, { targets: ['b:1'] }]);
      const appeared = await c.seen.until((g) => g.size === 2, REFRESH_MS + 400);
      c.server.answer = json([{ targets: ['a:2'] }]);
      const changed = await c.seen.until(
        (g) => g.size === 1 && addresses(g, `${url}:0`)[0] === 'a:2',
        REFRESH_MS + 400,
      );
      c.server.answer = {
        status: 200,
        contentType: 'application/json; charset=utf-8',
        body: 'null',
      };
      const gone = await c.seen.until((g) => g.size === 0, REFRESH_MS + 400);
      for (const ms of [appeared, changed, gone]) assert.ok(ms <= REFRESH_MS + 400, `${ms} ms`);
      assert.equal(c.failures(), 0);
    } finally {
      await c.stop();
    }
  });

  test('a bad answer of any kind is counted and the last good list kept; logged once per kind', async () => {
    const c = await discover(json([{ targets: ['kept:9100'], labels: { a: 'b' } }]));
    const bad: [Answer, RegExp][] = [
      [
        { status: 500, contentType: 'application/json', body: '[]' },
        /server returned HTTP status 500/,
      ],
      [
        { status: 200, contentType: 'text/plain', body: '[]' },
        /unsupported content type "text\/plain"/,
      ],
      [{ status: 200, contentType: 'application/json', body: '[{"targets":' }, /not JSON/],
      [
        json([{ targets: ['x:1'], labels: { 'bad-name': 'v' } }]),
        /"bad-name" is not a valid label name/,
      ],
      [json([null]), /nil target group item found/],
      [json([{ targets: ['x:1'], target: ['y:1'] }]), /unknown field "target"/],
      [json({ targets: ['x:1'] }), /must be a JSON array/],
    ];
    try {
      for (const [answer, said] of bad) {
        const before = c.failures();
        c.server.answer = answer;
        await c.seen.until(() => c.failures() >= before + 2, REFRESH_MS * 4);
        assert.deepEqual(addresses(c.seen.groups, `${c.server.url}:0`), ['kept:9100']);
        assert.equal(c.logs.filter((l) => said.test(l)).length, 1, c.logs.join('\n'));
      }
      assert.ok(
        c.logs.every((l) => l.includes('keeping the last good targets')),
        c.logs.join('\n'),
      );
    } finally {
      await c.stop();
    }
  });

  test('follow_redirects: followed by default, a failure when false', async () => {
    const redirect = (url: string): Answer => ({
      status: 302,
      contentType: 'text/plain',
      body: '',
      location: url.replace('/sd', '/moved'),
    });
    const [followed, refused] = await Promise.all(
      [true, false].map(async (follow) => {
        const c = await discover(json([]), { follow_redirects: follow });
        c.server.answer = redirect(c.server.url);
        await c.seen.until((g) => g.size > 0 || c.failures() > 0, REFRESH_MS * 4);
        await c.stop();
        return c;
      }),
    );
    assert.deepEqual(addresses(followed!.seen.groups, `${followed!.server.url}:0`), ['moved:1']);
    assert.equal(refused!.seen.groups.size, 0);
    assert.ok(
      refused!.logs.some((l) => /HTTP status 302/.test(l)),
      refused!.logs.join('\n'),
    );
  });
});
