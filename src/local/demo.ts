/**
 * `signet local --demo`: starts the local endpoints, sends requests signed by
 * Signet's own signer, shows what the endpoints (verifying with an independent
 * implementation) made of them, and exits. No AWS account needed.
 */
import { request } from 'undici';
import { SigV4Signer, type AwsCredentials } from '../aws/sigv4/index.js';
import type { LocalStack } from './index.js';

interface Answer {
  readonly status: number;
  readonly body: string;
}

async function send(
  stack: LocalStack,
  service: string,
  region: string,
  credentials: AwsCredentials,
  headers: Record<string, string>,
  body: string,
): Promise<Answer> {
  const signer = new SigV4Signer({ service, region });
  const host = new URL(stack.url).host;
  const signed = signer.sign({ method: 'POST', host, path: '/', headers, body }, credentials);
  const response = await request(`${stack.url}/`, {
    method: 'POST',
    headers: signed.headers,
    body,
  });
  return { status: response.statusCode, body: await response.body.text() };
}

/** Runs the demonstration; true when every step answered as expected. */
export async function runDemo(
  stack: LocalStack,
  credentials: AwsCredentials,
  print: (line: string) => void,
): Promise<boolean> {
  const logs = (op: string, payload: object, region = stack.region) =>
    send(
      stack,
      'logs',
      region,
      credentials,
      { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${op}` },
      JSON.stringify(payload),
    );
  let ok = true;
  const step = (label: string, answer: Answer, expectStatus: number, show: string) => {
    const good = answer.status === expectStatus;
    ok &&= good;
    print(`${good ? '✓' : '✗'} ${label}: HTTP ${answer.status} ${show}`);
  };

  const identity = await send(
    stack,
    'sts',
    stack.region,
    credentials,
    { 'content-type': 'application/x-www-form-urlencoded' },
    'Action=GetCallerIdentity&Version=2011-06-15',
  );
  step(
    'STS GetCallerIdentity',
    identity,
    200,
    /<Arn>([^<]+)<\/Arn>/.exec(identity.body)?.[1] ?? identity.body,
  );

  const group = '/signet/demo';
  step(
    'CloudWatch Logs CreateLogGroup',
    await logs('CreateLogGroup', { logGroupName: group }),
    200,
    group,
  );
  step(
    'CloudWatch Logs CreateLogStream',
    await logs('CreateLogStream', { logGroupName: group, logStreamName: 'demo' }),
    200,
    'demo',
  );
  const now = Date.now();
  const events = [
    { timestamp: now - 1, message: 'hello from Signet' },
    { timestamp: now, message: 'every request here is SigV4-signed and verified' },
  ];
  step(
    'CloudWatch Logs PutLogEvents',
    await logs('PutLogEvents', { logGroupName: group, logStreamName: 'demo', logEvents: events }),
    200,
    `${events.length} events`,
  );
  const read = await logs('GetLogEvents', {
    logGroupName: group,
    logStreamName: 'demo',
    startFromHead: true,
  });
  const messages =
    (JSON.parse(read.body) as { events?: Array<{ message: string }> }).events?.map(
      (e) => e.message,
    ) ?? [];
  step('CloudWatch Logs GetLogEvents', read, 200, JSON.stringify(messages));
  ok &&= messages.length === events.length;

  const wrong = stack.region === 'eu-west-1' ? 'us-east-1' : 'eu-west-1';
  const refused = await logs('DescribeLogGroups', {}, wrong);
  const reason = JSON.parse(refused.body) as { __type?: string; message?: string };
  step(
    `A request signed for ${wrong} is refused`,
    refused,
    400,
    `${reason.__type}: ${reason.message}`,
  );

  print('');
  print(`What ${stack.url}/_signet/requests recorded:`);
  for (const r of stack.log.list())
    print(
      `  ${r.status} ${r.service} ${r.operation ?? '-'}: ${r.signature}${r.errorCode ? ` (${r.errorCode})` : ''}`,
    );
  return ok;
}
