/**
 * `startLocal({ autoCreateStreams: false })`: Firehose and Kinesis answer
 * ResourceNotFoundException for a stream no one created, as AWS does, and
 * describe it once it is — checked with the official AWS SDK v3 clients over
 * 127.0.0.1. (By default a stream springs into being when first named.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
} from '@aws-sdk/client-firehose';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { startLocal, type LocalStack } from '../../src/local/index.js';
import { sdkConfig } from '../helpers/local-stack.js';

const notFound = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ResourceNotFoundException';

describe('signet local with autoCreateStreams off', { concurrency: true }, () => {
  let local: LocalStack;
  before(async () => {
    local = await startLocal({ autoCreateStreams: false });
  });
  after(() => local.close());

  test('Firehose: DescribeDeliveryStream is not found until the stream is created', async () => {
    const firehose = new FirehoseClient(sdkConfig(local));
    const describeIt = () =>
      firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'made-later' }));
    await assert.rejects(describeIt(), notFound);
    await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'made-later' }));
    const described = await describeIt();
    assert.equal(described.DeliveryStreamDescription?.DeliveryStreamStatus, 'ACTIVE');
    assert.equal(described.DeliveryStreamDescription?.DeliveryStreamType, 'DirectPut');
  });

  test('Kinesis: DescribeStreamSummary and PutRecords are not found until the stream is created', async () => {
    const kinesis = new KinesisClient(sdkConfig(local));
    await assert.rejects(
      kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'made-later' })),
      notFound,
    );
    await assert.rejects(
      kinesis.send(
        new PutRecordsCommand({
          StreamName: 'made-later',
          Records: [{ Data: Buffer.from('x'), PartitionKey: 'k' }],
        }),
      ),
      notFound,
    );
    await kinesis.send(new CreateStreamCommand({ StreamName: 'made-later', ShardCount: 1 }));
    const summary = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: 'made-later' }),
    );
    assert.equal(summary.StreamDescriptionSummary?.StreamStatus, 'ACTIVE');
    assert.equal(
      summary.StreamDescriptionSummary?.StreamARN,
      'arn:aws:kinesis:us-east-1:123456789012:stream/made-later',
    );
  });
});
