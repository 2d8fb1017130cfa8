/**
 * `signet doctor`'s probe of a logs client that sends to AWS: one harmless
 * signed call (DescribeLogGroups, HeadBucket, DescribeDeliveryStream,
 * DescribeStreamSummary) through the sink's own request builder, and what
 * its answer means in plain words: the group, bucket or stream exists or
 * not, and, when AWS refuses, which action on which ARN is missing and what
 * `signet run` will need besides.
 */
import type { Destination } from '../aws/destination/index.js';
import { AwsError } from '../aws/errors/index.js';
import { parseDenial, policyHolder } from '../aws/errors/denied.js';
import {
  LOG_SINK_PERMISSIONS,
  probePermission,
  runPermissions,
  type LogSinkFeatures,
  type LogSinkKind,
  type LogSinkResource,
  type Permission,
} from '../aws/permissions/log-sinks.js';
import type { CallerIdentity } from '../aws/sts/xml.js';
import { SignetError } from '../errors.js';
import { describeStream, type RecordApi } from '../sinks/aws-records/index.js';
import { LogsApi } from '../sinks/cloudwatch-logs/api.js';
import { firehoseApi } from '../sinks/firehose/index.js';
import { kinesisApi, parseKinesisStreamArn } from '../sinks/kinesis/index.js';
import { S3Api } from '../sinks/s3/api.js';
import { addressingOf, type Addressing } from '../sinks/s3/index.js';
import { problemOf, type ProbeReport, type ProblemReport } from './doctor-checks.js';

/** What a logs client's probe needs to know of its configuration. */
export interface LogsProbeSpec {
  readonly kind: LogSinkKind;
  /** The client's key path, e.g. `logs.configs[0].clients[2]`. */
  readonly path: string;
  /** The log group, bucket, delivery stream or data stream. */
  readonly name: string;
  /** A Kinesis client's `stream_arn`. */
  readonly streamArn?: string | undefined;
  readonly s3Addressing?: Addressing | undefined;
  readonly features: LogSinkFeatures;
}

/** "log group app", "bucket b", … as a sentence names them. */
export function resourceWords(kind: LogSinkKind, name: string): string {
  switch (kind) {
    case 'cloudwatch_logs':
      return `log group ${name}`;
    case 's3':
      return `bucket ${name}`;
    case 'firehose':
      return `delivery stream ${name}`;
    case 'kinesis':
      return `data stream ${name}`;
  }
}

/** The key that sets a client's region, for advice. */
const REGION_KEY: Readonly<Record<LogSinkKind, string>> = {
  cloudwatch_logs: 'cloudwatch_logs.region',
  s3: 's3.region',
  firehose: 'firehose.region',
  kinesis: 'kinesis.region',
};

export async function probeLogsClient(
  spec: LogsProbeSpec,
  destination: Destination,
  identity: CallerIdentity | null,
): Promise<ProbeReport> {
  const arnParts = spec.streamArn ? parseKinesisStreamArn(spec.streamArn) : undefined;
  const resource: LogSinkResource = {
    kind: spec.kind,
    region: destination.region,
    account: arnParts?.account ?? identity?.account,
    name: spec.name,
    arn: spec.streamArn,
  };
  const operation = LOG_SINK_PERMISSIONS[spec.kind].probeOperation;
  const needs = runPermissions(resource, spec.features);
  const base = { operation, needs };
  let found: { ok: boolean; found: string; problem?: ProblemReport };
  try {
    found = await call(spec, destination);
  } catch (error) {
    if (!(error instanceof SignetError)) throw error;
    const status = error instanceof AwsError ? error.status : null;
    if (error instanceof AwsError && error.kind === 'access-denied') {
      const missing = probePermission(resource, spec.features);
      return {
        ...base,
        ok: false,
        status,
        problem: {
          ...problemOf(error),
          hint: deniedHint(error, operation, missing, identity, needs),
        },
        missing,
      };
    }
    const problem = problemOf(error);
    const explained = explain(spec, resource, error);
    const regionNote =
      arnParts && arnParts.region !== destination.region
        ? ` The stream_arn names region ${arnParts.region}, but the client signs for and sends to ${destination.region}: set ${REGION_KEY.kinesis}: ${arnParts.region}.`
        : '';
    return {
      ...base,
      ok: false,
      status,
      problem: {
        ...problem,
        ...(explained ? { hint: explained } : {}),
        ...(regionNote ? { hint: `${explained ?? problem.hint ?? ''}${regionNote}`.trim() } : {}),
      },
    };
  }
  return {
    ...base,
    ok: found.ok,
    status: found.ok ? 200 : null,
    problem: found.problem ?? null,
    found: found.found,
  };
}

/** The probe call itself, through the sink's request builder; throws what the client throws. */
async function call(
  spec: LogsProbeSpec,
  destination: Destination,
): Promise<{ ok: boolean; found: string; problem?: ProblemReport }> {
  const { client, url, region } = destination;
  switch (spec.kind) {
    case 'cloudwatch_logs': {
      const group = await new LogsApi(client, url).describeLogGroup(spec.name);
      if (group) {
        const retention = group.retentionInDays ? `, retention ${group.retentionInDays} days` : '';
        return { ok: true, found: `log group ${spec.name} exists${retention}` };
      }
      if (spec.features.createLogGroup !== false)
        return {
          ok: true,
          found: `log group ${spec.name} does not exist yet in ${region}: signet run creates it (logs:CreateLogGroup) before its first send`,
        };
      return {
        ok: false,
        found: `log group ${spec.name} does not exist in ${region}`,
        problem: {
          code: 'ResourceNotFoundException',
          kind: 'not-found',
          status: null,
          requestId: null,
          message: `log group ${spec.name} does not exist in ${region}, and create_log_group is off`,
          hint: `create it (aws logs create-log-group --log-group-name ${spec.name} --region ${region}) or set create_log_group: true; if it lives in another region, set ${REGION_KEY.cloudwatch_logs}`,
        },
      };
    }
    case 's3': {
      const addressing = addressingOf(
        spec.s3Addressing ?? 'auto',
        new URL(url),
        spec.name,
        `${spec.path}.s3`,
      );
      const api = new S3Api(client, { url, bucket: spec.name, addressing, contentMd5: false });
      try {
        await api.headBucket();
      } catch (error) {
        throw await withS3Code(api, error);
      }
      return { ok: true, found: `bucket ${spec.name} exists` };
    }
    case 'firehose': {
      const answer = await describeStream(client, url, firehoseApi(spec.name));
      return streamState(answer, spec, 'DeliveryStreamDescription', 'DeliveryStreamStatus');
    }
    case 'kinesis': {
      const api: RecordApi = kinesisApi(
        spec.streamArn ? { StreamARN: spec.streamArn } : { StreamName: spec.name },
      );
      const answer = await describeStream(client, url, api);
      return streamState(answer, spec, 'StreamDescriptionSummary', 'StreamStatus');
    }
  }
}

/**
 * HeadBucket's refusals have no body, so a 403 may be AccessDenied or a
 * signature S3 did not accept. Asked again with a GET that needs the same
 * permission, S3 names the code; a 404 says all already.
 */
async function withS3Code(api: S3Api, error: unknown): Promise<unknown> {
  if (!(error instanceof AwsError) || !/^HTTP\d+$/.test(error.code) || error.status === 404)
    return error;
  try {
    await api.listNoObjects();
    return error;
  } catch (again) {
    return again instanceof AwsError && !/^HTTP\d+$/.test(again.code) ? again : error;
  }
}

/** ACTIVE or UPDATING streams take records; CREATING and DELETING ones refuse them. */
function streamState(
  answer: unknown,
  spec: LogsProbeSpec,
  key: string,
  statusKey: string,
): { ok: boolean; found: string; problem?: ProblemReport } {
  const description = ((answer ?? {}) as Record<string, Record<string, unknown> | undefined>)[key];
  const status = typeof description?.[statusKey] === 'string' ? description[statusKey] : 'unknown';
  const words = `${resourceWords(spec.kind, spec.name)} exists, status ${status}`;
  const type = description?.['DeliveryStreamType'];
  if (spec.kind === 'firehose' && typeof type === 'string' && type !== 'DirectPut') {
    return {
      ok: false,
      found: `${words}, type ${type}`,
      problem: {
        code: 'NotDirectPut',
        kind: 'config',
        status: null,
        requestId: null,
        message: `delivery stream ${spec.name} reads from ${type === 'KinesisStreamAsSource' ? 'a Kinesis data stream' : type}, so it refuses PutRecordBatch`,
        hint: 'send to a Direct PUT delivery stream, or to its source stream with a kinesis: client',
      },
    };
  }
  if (status === 'DELETING' || /FAILED/.test(status)) {
    return {
      ok: false,
      found: words,
      problem: {
        code: 'StreamNotActive',
        kind: 'config',
        status: null,
        requestId: null,
        message: `${resourceWords(spec.kind, spec.name)} is ${status}: it will not take records`,
        hint: 'recreate the stream, or point the client at an ACTIVE one',
      },
    };
  }
  return { ok: true, found: words };
}

/** Not found and wrong region, in words about this sink; undefined when the general hint says it best. */
function explain(spec: LogsProbeSpec, r: LogSinkResource, error: SignetError): string | undefined {
  if (!(error instanceof AwsError)) return undefined;
  const where = `region ${r.region}${r.account ? ` of account ${r.account}` : ''}`;
  if (spec.kind === 's3') {
    if (error.kind === 'not-found')
      return `bucket ${spec.name} does not exist (bucket names are global): create it (aws s3api create-bucket --bucket ${spec.name} --region ${r.region}) or fix s3.bucket / the s3:// URL`;
    // S3 answers a request sent to the wrong region with 301, or 400 when the signature names
    // another region; AuthorizationHeaderMalformed's message then says which region it expected.
    if (
      [301, 400].includes(error.status) &&
      /^(HTTP30\d|HTTP400|PermanentRedirect|AuthorizationHeaderMalformed)$/.test(error.code)
    ) {
      const expected = /expecting '([a-z0-9-]+)'/.exec(error.awsMessage)?.[1];
      if (expected)
        return `bucket ${spec.name} is in ${expected}, not ${r.region}: set ${REGION_KEY.s3}: ${expected}`;
      return `bucket ${spec.name} is not in ${r.region}: S3 answers ${error.status} to a request sent to another region. Set ${REGION_KEY.s3} to the bucket's region (aws s3api get-bucket-location --bucket ${spec.name}).`;
    }
    return undefined;
  }
  if (error.kind === 'not-found') {
    const words = resourceWords(spec.kind, spec.name);
    const create =
      spec.kind === 'firehose'
        ? 'create it as a Direct PUT stream'
        : spec.kind === 'kinesis'
          ? `create it (aws kinesis create-stream --stream-name ${spec.name} --region ${r.region})`
          : 'create it';
    return `${words} does not exist in ${where}: ${create}, or, if it lives in another region, set ${REGION_KEY[spec.kind]}`;
  }
  return undefined;
}

function permissionWords(p: Permission): string {
  return `${p.action} on ${p.resources.join(' and ')}`;
}

/**
 * When something other than a missing Allow decided (an explicit Deny, an
 * organization's policy, a boundary), the general hint names what to change.
 */
function explicitRefusal(error: AwsError): string[] {
  const reason = parseDenial(error.awsMessage).reason;
  if (!reason || /no identity-based policy/i.test(reason)) return [];
  return [`AWS refused because of ${reason}: ${error.hint}`];
}

/** Who may not do what, and what else run needs. */
function deniedHint(
  error: AwsError,
  operation: string,
  missing: Permission,
  identity: CallerIdentity | null,
  needs: readonly Permission[],
): string {
  const principal = error.deniedPrincipal ?? identity?.arn;
  const holder = principal
    ? policyHolder(principal)
    : 'the user or role these credentials belong to';
  return [
    `${principal ?? 'These credentials'} may not call ${operation}: the policy of ${holder} needs ${permissionWords(missing)}.`,
    `signet run needs ${needs.map((p) => p.action).join(', ')} there as well: doctor cannot try those without sending data, so check that the policy allows them too.`,
    ...explicitRefusal(error),
  ].join(' ');
}
