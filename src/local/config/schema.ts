/**
 * The zod schema of the `--config` file, in the file's own snake_case. Objects
 * are strict so a misspelt key is an error rather than a silently ignored
 * setting; cross-references (policy names, role ARNs) are checked in build.ts.
 */
import { z } from 'zod';
import { faultRuleSchema } from '../faults.js';

/**
 * A custom issue's advice travels in `params.hint` (see issues.ts). zod keeps
 * params only for refinements, so patterns and bounds are refinements too.
 */
function hinted(message: string, hint: string): { message: string; params: { hint: string } } {
  return { message, params: { hint } };
}

function pattern(re: RegExp, message: string, hint: string): z.ZodString {
  return z.string().refine((s) => re.test(s), hinted(message, hint));
}

function between(min: number, max: number, hint: string): z.ZodNumber {
  return z
    .number()
    .int()
    .refine((n) => n >= min, hinted(`must be at least ${min}`, hint))
    .refine((n) => n <= max, hinted(`must be at most ${max}`, hint));
}

const ACCOUNT_ID = pattern(
  /^\d{12}$/,
  'must be a 12-digit account id',
  "quote it, e.g. '123456789012'",
);

/** Partition-aware role ARN; the path may hold several segments, the name is the last. */
export const ROLE_ARN =
  /^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

const roleArn = pattern(
  ROLE_ARN,
  'must be a role ARN',
  "write it as 'arn:aws:iam::123456789012:role/Name'",
);

const ACTION = /^(?:\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+)$/;

/** IAM accepts one string or a list for Action and Resource; so does the file. */
function oneOrMany(item: z.ZodString): z.ZodType<string[], string | string[]> {
  return z
    .union([
      item,
      z
        .array(item)
        .refine((a) => a.length > 0, hinted('must not be empty', 'list at least one entry')),
    ])
    .transform((value) => (typeof value === 'string' ? [value] : value));
}

const statement = z.strictObject({
  sid: z.string().optional(),
  effect: z.enum(['Allow', 'Deny']),
  actions: oneOrMany(
    pattern(ACTION, 'must be `*` or `service:Action`', "e.g. 'logs:PutLogEvents' or 'logs:*'"),
  ),
  resources: oneOrMany(
    z
      .string()
      .refine(
        (s) => s === '*' || s.startsWith('arn:'),
        hinted(
          'must be `*` or an ARN pattern',
          "e.g. 'arn:aws:logs:*:123456789012:log-group:app:*'",
        ),
      ),
  ),
});

const statements = z.array(statement);

/** Either the name of an entry of `policies:` or an inline statement list. */
const policyRef = z.union([z.string().min(1), statements]);

const user = z.strictObject({
  name: pattern(
    /^[\w+=,.@-]{1,64}$/,
    'must be an IAM user name',
    'use 1-64 of letters, digits and +=,.@_-',
  ),
  account_id: ACCOUNT_ID,
  access_key_id: pattern(
    /^\w{16,128}$/,
    'must be 16-128 letters and digits',
    "e.g. 'AKIAIOSFODNN7EXAMPLE'",
  ).refine(
    (s) => !s.startsWith('ASIA'),
    hinted(
      'must be a long-term key id (AKIA…)',
      'ASIA… ids are kept for the temporary keys signet local issues; use AKIA…',
    ),
  ),
  secret_access_key: pattern(
    /^\S+$/,
    'must be a non-empty string without spaces',
    'paste the 40-character secret',
  ),
  policy: policyRef.optional(),
});

const webIdentity = z.strictObject({
  issuer: z.string().min(1).optional(),
  audience: z.string().min(1).optional(),
  subject: z.string().min(1).optional(),
});

const role = z.strictObject({
  arn: roleArn,
  max_session_duration: between(3600, 43200, 'IAM allows 3600 to 43200 seconds').default(3600),
  trust: z.strictObject({
    principals: z.array(
      z
        .string()
        .refine(
          (s) => /^\d{12}$/.test(s) || s === '*' || s.startsWith('arn:'),
          hinted(
            'must be an ARN pattern or a 12-digit account id',
            "quote account ids: '123456789012'",
          ),
        ),
    ),
    external_id: pattern(
      /^[\w+=,.@:/-]{2,1224}$/,
      'must be 2-1224 of letters, digits and +=,.@:/_-',
      'as STS requires',
    ).optional(),
    web_identity: webIdentity.optional(),
  }),
  policy: policyRef.optional(),
});

const hex = (prefix: string): z.ZodString =>
  pattern(
    new RegExp(`^${prefix}-[0-9a-f]{8}(?:[0-9a-f]{9})?$`),
    `must look like '${prefix}-0123456789abcdef0'`,
    `use ${prefix}- and 8 or 17 hex digits`,
  );

const instance = z.strictObject({
  instance_id: hex('i'),
  image_id: hex('ami'),
  instance_type: pattern(/^[a-z0-9-]+\.[a-z0-9-]+$/, 'must be an instance type', "e.g. 't3.micro'"),
  private_ip: z.ipv4({ error: 'must be an IPv4 address' }),
  public_ip: z.ipv4({ error: 'must be an IPv4 address' }).optional(),
  state: z.enum(['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped']),
  tags: z.record(z.string(), z.string()).default({}),
  availability_zone: pattern(
    /^[a-z]{2}(?:-[a-z]+)+-\d[a-z]$/,
    'must be an availability zone',
    "e.g. 'us-east-1a'",
  ),
  vpc_id: hex('vpc'),
  subnet_id: hex('subnet'),
  launch_time: z
    .string()
    .refine(
      (s) => !Number.isNaN(Date.parse(s)),
      hinted('must be a date and time', "e.g. '2024-05-01T12:00:00Z'"),
    ),
  self: z.boolean().default(false),
  role: roleArn.optional(),
  account_id: ACCOUNT_ID.optional(),
});

const container = z.strictObject({
  role: roleArn,
  authorization_token: z.string().min(1).optional(),
  credentials_id: pattern(
    /^[\w.-]+$/,
    'must be a path segment',
    'use letters, digits, . _ -',
  ).optional(),
  full_uri_path: pattern(
    /^\/[\w./-]*$/,
    'must be an absolute path',
    "e.g. '/v1/credentials'",
  ).default('/v1/credentials'),
});

const policyName = pattern(
  /^[\w+=,.@-]{1,128}$/,
  'must be a policy name',
  'use letters, digits and +=,.@_-',
);

export const fileSchema = z.strictObject({
  principals: z.array(user).default([]),
  roles: z.array(role).default([]),
  policies: z.record(policyName, statements).default({}),
  instances: z.array(instance).default([]),
  container: container.optional(),
  execute_api: z
    .record(pattern(/^\/?\S+$/, 'must be a path', "e.g. '/metrics'"), z.string())
    .default({}),
  faults: z.array(faultRuleSchema).default([]),
  credential_duration_seconds: between(
    1,
    43200,
    'give seconds, at most 43200 (12 hours) as STS allows',
  ).default(3600),
});

/** The file as parsed and validated, still snake_case. */
export type ConfigFile = z.output<typeof fileSchema>;
export type StatementFile = z.output<typeof statement>;
