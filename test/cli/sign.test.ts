import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runSignet, type CliResult } from '../helpers/run-cli.js';
import { startVerifyingServer, type VerifyingServer } from '../helpers/verifying-server.js';

const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENvalue1234567890/+=';
const ENV = { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET };

/** Every run is also checked for the one thing that must never happen. */
async function signet(
  args: string[],
  options: Parameters<typeof runSignet>[1] = {},
): Promise<CliResult> {
  const result = await runSignet(args, options);
  for (const secret of [
    SECRET,
    'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    'WRONGwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE',
  ]) {
    assert.ok(
      !result.stdout.includes(secret) && !result.stderr.includes(secret),
      'a secret key reached the output',
    );
  }
  return result;
}

function assertOneLineError(result: CliResult, status: number, pattern: RegExp): void {
  assert.equal(result.status, status, `exit status; stderr: ${result.stderr}`);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line expected, got:\n${result.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

describe('signet sign --explain', () => {
  test("reproduces AWS's published IAM ListUsers signature", async () => {
    const r = await signet([
      'sign',
      '--explain',
      '--date',
      '20150830T123600Z',
      '--region',
      'us-east-1',
      '--access-key-id',
      'AKIDEXAMPLE',
      '--secret-access-key',
      'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      '-H',
      'Content-Type: application/x-www-form-urlencoded; charset=utf-8',
      'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08',
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /Canonical request:\nGET\n\/\nAction=ListUsers&Version=2010-05-08\ncontent-type:application\/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n/,
    );
    assert.match(
      r.stdout,
      /String to sign:\nAWS4-HMAC-SHA256\n20150830T123600Z\n20150830\/us-east-1\/iam\/aws4_request\nf536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59\n/,
    );
    assert.match(
      r.stdout,
      /Signature:\n5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7\n/,
    );
    assert.match(
      r.stdout,
      /authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20150830\/us-east-1\/iam\/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79/,
    );
    assert.match(
      r.stdout,
      /Credentials: AKID… from command-line options|Credentials: … from command-line options/,
    );
  });

  test('--json prints one object with the documented keys', async () => {
    const r = await signet(
      [
        'sign',
        '--explain',
        '--json',
        '--date',
        '20240101T000000Z',
        'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/api/v1/query?query=up',
      ],
      { env: ENV },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of ['canonicalRequest', 'stringToSign', 'signature', 'authorization', 'headers'])
      assert.ok(key in out, key);
    assert.match(
      String(out.authorization),
      /Credential=AKIAIOSFODNN7EXAMPLE\/20240101\/us-east-1\/aps\/aws4_request, SignedHeaders=host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    assert.equal((out.headers as Record<string, string>)['x-amz-date'], '20240101T000000Z');
    assert.equal(out.accessKeyId, 'AKIA…MPLE');
  });

  test('infers service and region from AWS host names', async () => {
    const cases: Array<[string, string]> = [
      [
        'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write',
        '/eu-west-1/aps/',
      ],
      [
        'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/metrics',
        '/eu-west-1/execute-api/',
      ],
      ['https://bucket.s3.us-west-2.amazonaws.com/key.txt', '/us-west-2/s3/'],
      ['https://s3.us-west-2.amazonaws.com/bucket/key.txt', '/us-west-2/s3/'],
      ['https://logs.cn-north-1.amazonaws.com.cn/', '/cn-north-1/logs/'],
      ['https://vpce-0a1b2c3d4e5f-abcdefgh.logs.us-east-1.vpce.amazonaws.com/', '/us-east-1/logs/'],
    ];
    for (const [url, scope] of cases) {
      const r = await signet(['sign', '--explain', '--json', url], { env: ENV });
      assert.equal(r.status, 0, r.stderr);
      assert.ok(
        String((JSON.parse(r.stdout) as { credentialScope: string }).credentialScope).includes(
          scope.slice(1, -1),
        ),
        `${url} → ${scope}`,
      );
    }
  });

  test('masks a session token and never prints the secret key', async () => {
    const r = await signet(['sign', '--explain', 'https://logs.us-east-1.amazonaws.com/'], {
      env: { ...ENV, AWS_SESSION_TOKEN: TOKEN },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!r.stdout.includes(TOKEN), 'the token is masked');
    assert.match(r.stdout, /x-amz-security-token:IQoJ…0\/\+=/);
    assert.match(r.stdout, /SignedHeaders=host;x-amz-date;x-amz-security-token/);
  });

  test('--presign prints a URL with the signature in the query', async () => {
    const r = await signet(
      [
        'sign',
        '--presign',
        '--expires',
        '600',
        'https://bucket.s3.us-east-1.amazonaws.com/report.csv',
      ],
      { env: ENV },
    );
    assert.equal(r.status, 0, r.stderr);
    const url = new URL(r.stdout.trim());
    assert.equal(url.searchParams.get('X-Amz-Expires'), '600');
    assert.match(url.searchParams.get('X-Amz-Signature') ?? '', /^[0-9a-f]{64}$/);
  });
});

describe('signet sign against a server that verifies with @smithy/signature-v4', () => {
  let server: VerifyingServer;
  const dir = mkdtempSync(join(tmpdir(), 'signet-sign-'));
  before(async () => {
    server = await startVerifyingServer(new Map([[ACCESS_KEY, SECRET]]));
  });
  after(() => server.close());
  const scope = ['--region', 'us-east-1', '--service', 'aps'];

  test('GET with a query prints the body and exits 0', async () => {
    const r = await signet(
      ['sign', ...scope, `${server.url}/workspaces/ws-1/api/v1/query?query=up&time=1700000000`],
      { env: ENV },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      ok: true,
      method: 'GET',
      url: '/workspaces/ws-1/api/v1/query?query=up&time=1700000000',
      body: '',
    });
    assert.equal(server.received.at(-1)?.verified, true);
  });

  test('POST --data, with headers, a session token and -i', async () => {
    const r = await signet(
      [
        'sign',
        ...scope,
        '-i',
        '-H',
        'Content-Type: application/json',
        '-H',
        'X-Amz-Target: Test.Op',
        '--data',
        '{"a": "b c"}',
        `${server.url}/api/x%20y`,
      ],
      {
        env: { ...ENV, AWS_SESSION_TOKEN: TOKEN },
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^HTTP\/1.1 200 OK\r\n/);
    assert.match(r.stdout, /\r\nx-signet-test: yes\r\n/);
    const last = server.received.at(-1)!;
    assert.equal(last.verified, true);
    assert.equal(last.method, 'POST');
    assert.equal(last.body.toString(), '{"a": "b c"}');
    assert.equal(last.headers['x-amz-security-token'], TOKEN);
  });

  test('--data @FILE and @- send bytes exactly', async () => {
    const file = join(dir, 'body.bin');
    const bytes = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
    writeFileSync(file, bytes);
    const fromFile = await signet(
      ['sign', ...scope, '-X', 'PUT', '--data', `@${file}`, `${server.url}/upload`],
      { env: ENV },
    );
    assert.equal(fromFile.status, 0, fromFile.stderr);
    assert.deepEqual(server.received.at(-1)!.body, bytes);
    const fromStdin = await signet(['sign', ...scope, '--data', '@-', `${server.url}/upload`], {
      env: ENV,
      stdin: bytes,
    });
    assert.equal(fromStdin.status, 0, fromStdin.stderr);
    assert.deepEqual(server.received.at(-1)!.body, bytes);
    assert.equal(server.received.at(-1)!.verified, true);
  });

  test('dot segments go on the wire as written and are signed as the service resolves them', async () => {
    // botocore and the JavaScript SDK both send `/a/b/..` and sign `/a`.
    for (const [path, canonical] of [
      ['/a/b/..', '/a'],
      ['/a/b/.', '/a/b'],
      ['/a/./b/../c/', '/a/c/'],
      // Signers do not decode %2E: an encoded dot is a name, not a dot segment.
      ['/x%20y/%2E%2E', '/x%2520y/%252E%252E'],
    ] as const) {
      const explained = await signet(['sign', ...scope, '--explain', '--json', server.url + path], {
        env: ENV,
      });
      assert.equal(explained.status, 0, explained.stderr);
      const json = JSON.parse(explained.stdout) as { canonicalRequest: string; url: string };
      assert.equal(json.canonicalRequest.split('\n')[1], canonical, path);
      assert.equal(json.url, server.url + path);
      const sent = await signet(['sign', ...scope, server.url + path], { env: ENV });
      assert.equal(sent.status, 0, sent.stderr);
      const last = server.received.at(-1)!;
      assert.equal(last.url, path, 'the path on the wire');
      assert.equal(last.verified, true, 'smithy, given the wire path, computes the same signature');
    }
  });

  test('an HTTP error prints the body and exits 22', async () => {
    const r = await signet(['sign', ...scope, `${server.url}/x`], {
      env: {
        AWS_ACCESS_KEY_ID: ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY: 'WRONGwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE',
      },
    });
    assert.equal(r.status, 22);
    assert.match(r.stdout, /SignatureDoesNotMatch/);
    assertOneLineError(r, 22, /^signet sign: the server answered 403 Forbidden$/);
  });
});

describe('signet sign with bad input: one line, what to do, non-zero exit', () => {
  test('a URL that does not parse', async () => {
    assertOneLineError(
      await signet(['sign', 'not a url'], { env: ENV }),
      2,
      /'not a url' is not a URL \(write it in full/,
    );
  });
  test('a header without a colon', async () => {
    assertOneLineError(
      await signet(['sign', '-H', 'X-Broken', 'https://logs.us-east-1.amazonaws.com/'], {
        env: ENV,
      }),
      2,
      /header 'X-Broken' has no colon \(write -H 'Name: value'\)/,
    );
  });
  test('a region that can be neither read nor inferred', async () => {
    assertOneLineError(
      await signet(['sign', '--service', 'aps', 'https://metrics.example.com/'], { env: ENV }),
      2,
      /cannot tell the signing region from the host 'metrics.example.com' \(pass --region/,
    );
  });
  test('a service that cannot be inferred', async () => {
    assertOneLineError(
      await signet(['sign', 'https://metrics.example.com/'], { env: ENV }),
      2,
      /cannot tell the signing service .*pass --service/,
    );
  });
  test('missing credentials: the chain says what it tried, in one line', async () => {
    // No keys, an empty HOME and an IMDS that refuses: nothing anywhere.
    const nowhere = {
      HOME: '/nonexistent-home',
      AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:9',
    };
    const none = await signet(['sign', 'https://logs.us-east-1.amazonaws.com/'], { env: nowhere });
    assertOneLineError(
      none,
      1,
      /No AWS credentials found \(config: .*env: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set.*imds: /,
    );
    const half = await signet(['sign', 'https://logs.us-east-1.amazonaws.com/'], {
      env: { ...nowhere, AWS_ACCESS_KEY_ID: ACCESS_KEY },
    });
    assertOneLineError(half, 1, /env: AWS_SECRET_ACCESS_KEY is not set, but its partner is/);
    assertOneLineError(
      await signet(
        ['sign', '--access-key-id', ACCESS_KEY, 'https://logs.us-east-1.amazonaws.com/'],
        {
          env: nowhere,
        },
      ),
      2,
      /--access-key-id and --secret-access-key go together/,
    );
  });
  test('an unreadable @file', async () => {
    assertOneLineError(
      await signet(
        ['sign', '--data', '@/nonexistent/body.json', 'https://logs.us-east-1.amazonaws.com/'],
        { env: ENV },
      ),
      2,
      /cannot read --data file '\/nonexistent\/body.json': no such file/,
    );
  });
  test('a bad --date, a bad --expires, an unknown option', async () => {
    assertOneLineError(
      await signet(
        ['sign', '--explain', '--date', '2024-01-01', 'https://logs.us-east-1.amazonaws.com/'],
        { env: ENV },
      ),
      2,
      /--date '2024-01-01' is not a valid time \(write it as YYYYMMDDTHHMMSSZ/,
    );
    assertOneLineError(
      await signet(
        ['sign', '--presign', '--expires', '9999999', 'https://logs.us-east-1.amazonaws.com/'],
        { env: ENV },
      ),
      1,
      /cannot be valid for 9999999 seconds \(choose a whole number of seconds from 1 to 604800/,
    );
    assertOneLineError(
      await signet(['sign', '--bogus', 'https://logs.us-east-1.amazonaws.com/'], { env: ENV }),
      2,
      /option '--bogus'/,
    );
  });
  test('a server that is not there', async () => {
    assertOneLineError(
      await signet(['sign', '--region', 'us-east-1', '--service', 'aps', 'http://127.0.0.1:1/'], {
        env: ENV,
      }),
      1,
      /could not reach http:\/\/127.0.0.1:1: ECONNREFUSED \(is the server running/,
    );
  });
});
