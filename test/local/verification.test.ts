/**
 * Tampered copies of a valid request are refused with the code AWS gives, and
 * faults injected through /_signet/faults hit exactly the requests asked for.
 * Requests are signed by Signet's signer; the server verifies with smithy's.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { SigV4Signer, type SignedRequest } from '../../src/aws/sigv4/index.js';
import {
  startLocal,
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  type LocalStack,
} from '../../src/local/index.js';

const credentials = { accessKeyId: DEMO_ACCESS_KEY_ID, secretAccessKey: DEMO_SECRET_ACCESS_KEY };

describe('signet local refuses tampered requests', () => {
  let local: LocalStack;
  before(async () => {
    local = await startLocal({ port: 0 });
  });
  after(() => local.close());

  function signedLogsCall(
    overrides: { region?: string; service?: string; date?: number; secret?: string } = {},
  ): SignedRequest {
    const signer = new SigV4Signer({
      service: overrides.service ?? 'logs',
      region: overrides.region ?? 'us-east-1',
      signHeaders: ['x-custom'],
    });
    return signer.sign(
      {
        method: 'POST',
        host: new URL(local.url).host,
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'Logs_20140328.DescribeLogGroups',
          'x-custom': 'a',
        },
        body: '{}',
      },
      { ...credentials, secretAccessKey: overrides.secret ?? DEMO_SECRET_ACCESS_KEY },
      { signingDate: overrides.date ?? Date.now() },
    );
  }

  async function send(
    signed: SignedRequest,
    change: { body?: string; path?: string; headers?: Record<string, string> } = {},
  ) {
    const response = await request(`${local.url}${change.path ?? '/'}`, {
      method: 'POST',
      headers: { ...signed.headers, ...change.headers },
      body: change.body ?? (signed.body as string),
    });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      type: (JSON.parse(text || '{}') as { __type?: string }).__type,
      text,
    };
  }

  test('the untampered request passes', async () => {
    assert.equal((await send(signedLogsCall())).status, 200);
  });

  const cases: Array<
    [string, () => Promise<{ status: number; type: string | undefined }>, string]
  > = [
    [
      'body changed',
      () => send(signedLogsCall(), { body: '{"limit":1}' }),
      'InvalidSignatureException',
    ],
    [
      'a signed header changed',
      () => send(signedLogsCall(), { headers: { 'x-custom': 'b' } }),
      'InvalidSignatureException',
    ],
    ['path changed', () => send(signedLogsCall(), { path: '/other' }), 'InvalidSignatureException'],
    [
      'wrong region in the scope',
      () => send(signedLogsCall({ region: 'eu-west-1' })),
      'InvalidSignatureException',
    ],
    [
      'wrong service in the scope',
      () => send(signedLogsCall({ service: 'firehose' })),
      'InvalidSignatureException',
    ],
    [
      'an x-amz-date 16 minutes old',
      () => send(signedLogsCall({ date: Date.now() - 16 * 60 * 1000 })),
      'InvalidSignatureException',
    ],
    [
      'a wrong secret',
      () => send(signedLogsCall({ secret: 'x'.repeat(40) })),
      'InvalidSignatureException',
    ],
    [
      'no Authorization at all',
      () => send(signedLogsCall(), { headers: { authorization: '' } }),
      'IncompleteSignatureException',
    ],
  ];
  for (const [name, run, code] of cases) {
    test(`${name} → ${code}`, async () => {
      const answer = await run();
      assert.equal(answer.status, 400);
      assert.equal(answer.type, code);
    });
  }

  test('faults: two throttles, then normal service; the log shows every verdict', async () => {
    const added = await request(`${local.url}/_signet/faults`, {
      method: 'POST',
      body: JSON.stringify({ service: 'logs', kind: 'throttle', count: 2 }),
    });
    assert.equal(added.statusCode, 200);
    await added.body.text();
    assert.equal((await send(signedLogsCall())).type, 'ThrottlingException');
    assert.equal((await send(signedLogsCall())).type, 'ThrottlingException');
    assert.equal((await send(signedLogsCall())).status, 200);
    const log = await request(`${local.url}/_signet/requests`);
    const entries = (
      (await log.body.json()) as { requests: Array<{ signature: string; errorCode?: string }> }
    ).requests;
    assert.ok(entries.filter((e) => e.errorCode === 'ThrottlingException').length === 2);
    assert.ok(entries.some((e) => e.signature === 'rejected: InvalidSignatureException'));
  });
});
