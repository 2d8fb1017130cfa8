/**
 * Resource ARNs name the caller's own account: a principal of account
 * 111122223333 whose policy allows only its account's resources can use
 * them, and one whose policy names another account's is refused with an
 * AccessDenied that names the ARN in the caller's account — as IAM does.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { parseLocalConfig } from '../../../src/local/config/load.js';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import { loggedRequests, sdkConfig } from '../../helpers/local-stack.js';

const PARTNER = {
  accessKeyId: 'AKIAPARTNEREXAMPLE03',
  secretAccessKey: 'partner/secret/EXAMPLEKEYEXAMPLEKEYEXAM',
};
const STRAY = {
  accessKeyId: 'AKIASTRAYEXAMPLE0004',
  secretAccessKey: 'stray/secret/EXAMPLEKEYEXAMPLEKEYEXAMPL',
};

const CONFIG = `
principals:
  - name: partner
    account_id: '111122223333'
    access_key_id: ${PARTNER.accessKeyId}
    secret_access_key: ${PARTNER.secretAccessKey}
    policy:
      - effect: Allow
        actions: ['logs:*']
        resources: ['arn:aws:logs:us-east-1:111122223333:log-group:*']
      - effect: Allow
        actions: ['firehose:PutRecordBatch']
        resources: ['arn:aws:firehose:us-east-1:111122223333:deliverystream/*']
      - effect: Allow
        actions: ['kinesis:PutRecords']
        resources: ['arn:aws:kinesis:us-east-1:111122223333:stream/*']
  - name: stray
    account_id: '111122223333'
    access_key_id: ${STRAY.accessKeyId}
    secret_access_key: ${STRAY.secretAccessKey}
    policy:
      - effect: Allow
        actions: ['logs:*', 'firehose:*']
        resources:
          - 'arn:aws:logs:us-east-1:123456789012:log-group:*'
          - 'arn:aws:firehose:us-east-1:123456789012:deliverystream/*'
`;

describe('resource ARNs use the caller’s account', () => {
  let local: LocalStack;
  before(async () => {
    local = await startLocal({ port: 0, config: parseLocalConfig(CONFIG, 'accounts.yaml') });
  });
  after(() => local.close());

  const as = <T>(
    Client: new (config: ReturnType<typeof sdkConfig>) => T,
    credentials: typeof PARTNER,
  ): T => new Client(sdkConfig(local, { credentials }));

  test('a principal of 111122223333 is allowed its own account’s log groups', async () => {
    const id = await as(STSClient, PARTNER).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Account, '111122223333');
    const logs = as(CloudWatchLogsClient, PARTNER);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/partner/app' }));
    await logs.send(
      new CreateLogStreamCommand({ logGroupName: '/partner/app', logStreamName: 's' }),
    );
    const events = [{ timestamp: Date.now(), message: 'from 111122223333' }];
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/partner/app',
        logStreamName: 's',
        logEvents: events,
      }),
    );
    const got = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/partner/app', logStreamName: 's' }),
    );
    assert.deepEqual(
      got.events?.map((e) => e.message),
      ['from 111122223333'],
    );
  });

  test('and its own Firehose and Kinesis streams', async () => {
    const firehose = await as(FirehoseClient, PARTNER).send(
      new PutRecordBatchCommand({ DeliveryStreamName: 'p', Records: [{ Data: Buffer.from('x') }] }),
    );
    assert.equal(firehose.FailedPutCount, 0);
    const kinesis = await as(KinesisClient, PARTNER).send(
      new PutRecordsCommand({
        StreamName: 'p',
        Records: [{ Data: Buffer.from('y'), PartitionKey: 'k' }],
      }),
    );
    assert.equal(kinesis.FailedRecordCount, 0);
  });

  test('a policy naming another account’s resources does not reach the caller’s', async () => {
    await assert.rejects(
      as(CloudWatchLogsClient, STRAY).send(new CreateLogGroupCommand({ logGroupName: '/stray' })),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.equal(error.name, 'AccessDeniedException');
        assert.equal(
          error.message,
          'User: arn:aws:iam::111122223333:user/stray is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:us-east-1:111122223333:log-group:/stray because no identity-based policy allows the logs:CreateLogGroup action',
        );
        return true;
      },
    );
    await assert.rejects(
      as(FirehoseClient, STRAY).send(
        new PutRecordBatchCommand({
          DeliveryStreamName: 's',
          Records: [{ Data: Buffer.from('x') }],
        }),
      ),
      {
        name: 'AccessDeniedException',
        message: /resource: arn:aws:firehose:us-east-1:111122223333:deliverystream\/s /,
      },
    );
  });

  test('the refusals were for policy, not signature', async () => {
    const stray = (await loggedRequests(local)).filter((r) => r.principal?.endsWith('/stray'));
    assert.equal(stray.length, 2);
    for (const entry of stray) {
      assert.equal(entry.signature, 'verified');
      assert.equal(entry.errorCode, 'AccessDeniedException');
    }
  });
});
