/**
 * Who was denied what, read from an access-denied message. AWS words it as
 * "User: ARN is not authorized to perform: ACTION on resource: ARN because …",
 * with variants: EC2 prefixes "You are not authorized to perform this
 * operation.", S3 quotes the resource, API Gateway names `anonymous`, and the
 * reason may be missing, an explicit deny, or a policy type that allows nothing.
 */

export interface Denial {
  readonly action?: string;
  readonly resource?: string;
  readonly principal?: string;
  /** Why, as AWS says it: "no identity-based policy allows the … action", "… explicit deny in …". */
  readonly reason?: string;
  /** EC2's encoded authorization failure message, for `aws sts decode-authorization-message`. */
  readonly encoded?: boolean;
}

const ACTION = String.raw`[a-z0-9-]+:[A-Za-z0-9*]+`;
const PRINCIPAL = new RegExp(
  String.raw`(?:User:\s*)?(arn:aws[\w-]*:[^\s]+|anonymous)\s+is not authorized to perform`,
);
const PERFORM = new RegExp(String.raw`is not authorized to perform:?\s*(${ACTION})`);
const RESOURCE = /\bon resource:\s*"?([^\s":][^\s"]*?)"?(?=\s|$|\.\s|\.$)/;
const BECAUSE = /\b(?:because|with)\s+((?:no|an explicit deny)\b[^.]*?)(?:\.\s|\.?$)/;
const NO_POLICY_ALLOWS = new RegExp(String.raw`allows the (${ACTION}) action`);

/** The parts of an access-denied message it states; absent parts are undefined. */
export function parseDenial(message: string): Denial {
  const text = message.replace(/\s+/g, ' ').trim();
  const principal = PRINCIPAL.exec(text)?.[1];
  const action = PERFORM.exec(text)?.[1] ?? NO_POLICY_ALLOWS.exec(text)?.[1];
  const resource = RESOURCE.exec(text)?.[1];
  const reason = BECAUSE.exec(text)?.[1]?.trim();
  const encoded = /Encoded authorization failure message/i.test(text);
  return {
    ...(action === undefined ? {} : { action }),
    ...(resource === undefined ? {} : { resource }),
    ...(principal === undefined ? {} : { principal }),
    ...(reason === undefined ? {} : { reason }),
    ...(encoded ? { encoded } : {}),
  };
}

/** "role Writer", "user alice", or the ARN itself: whom an IAM policy would be attached to. */
export function policyHolder(arn: string): string {
  const assumed = /^arn:aws[\w-]*:sts::\d{12}:assumed-role\/([^/]+)\//.exec(arn);
  if (assumed) return `role ${assumed[1]}`;
  const iam = /^arn:aws[\w-]*:iam::\d{12}:(user|role|group)\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (iam) return `${iam[1]} ${iam[2]}`;
  return arn;
}

const IAM_PREFIX: Readonly<Record<string, string>> = { monitoring: 'cloudwatch' };

/**
 * A best guess at the IAM action a request needed when AWS did not name it,
 * from the signing name, method and path (and a query API's `Action=`).
 */
export function guessAction(
  service: string | undefined,
  method: string | undefined,
  url: string | undefined,
): string | undefined {
  if (!service) return undefined;
  const prefix = IAM_PREFIX[service] ?? service;
  let path = '';
  let queryAction: string | null = null;
  try {
    const parsed = new URL(url ?? '');
    path = parsed.pathname;
    queryAction = parsed.searchParams.get('Action');
  } catch {
    // No URL: guess from the service and method alone.
  }
  if (queryAction && /^\w+$/.test(queryAction)) return `${prefix}:${queryAction}`;
  const verb = (method ?? 'GET').toUpperCase();
  switch (service) {
    case 's3': {
      const hasKey = path.split('/').filter(Boolean).length > 1;
      if (verb === 'PUT' || verb === 'POST') return 's3:PutObject';
      if (verb === 'DELETE') return 's3:DeleteObject';
      return hasKey ? 's3:GetObject' : 's3:ListBucket';
    }
    case 'aps':
      if (path.endsWith('/remote_write')) return 'aps:RemoteWrite';
      if (/\/api\/v1\/(?:query|query_range)$/.test(path)) return 'aps:QueryMetrics';
      if (path.endsWith('/series')) return 'aps:GetSeries';
      if (/\/labels?\b/.test(path)) return 'aps:GetLabels';
      return undefined;
    case 'execute-api':
      return 'execute-api:Invoke';
    case 'logs':
      return 'logs:PutLogEvents';
    case 'firehose':
      return 'firehose:PutRecordBatch';
    case 'kinesis':
      return 'kinesis:PutRecords';
    case 'xray':
      return 'xray:PutTraceSegments';
    case 'monitoring':
      return 'cloudwatch:PutMetricData';
    case 'sts':
      return 'sts:AssumeRole';
    case 'ec2':
      return 'ec2:DescribeInstances';
    default:
      return undefined;
  }
}
