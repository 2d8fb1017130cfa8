/**
 * The config `signet local` runs with when no `--config` is given: one user
 * with AWS's documentation example keys, allowed everything, so any SDK or
 * CLI pointed at the server works out of the box; and one role, allowed
 * everything, that the IMDSv2 instance and the ECS credential endpoint hand
 * out, so an agent told to find credentials there (as on EC2 or ECS) does.
 */
import { DEFAULT_ACCOUNT_ID } from '../service.js';
import type { LocalConfig } from './types.js';

export const DEMO_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const DEMO_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/** The role behind the default instance profile and container credentials. */
export const DEMO_ROLE_ARN = `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:role/signet-local`;
export const DEMO_INSTANCE_ID = 'i-0123456789abcdef0';
/** What the ECS endpoint serves for AWS_CONTAINER_CREDENTIALS_FULL_URI. */
export const DEMO_CONTAINER_PATH = '/v2/credentials/local';
/**
 * The token the container endpoint asks for (AWS_CONTAINER_AUTHORIZATION_TOKEN),
 * as EKS Pod Identity does; not a secret, it is printed in the banner.
 */
export const DEMO_CONTAINER_TOKEN = 'signet-local-container-token';

const ALLOW_ALL = [{ effect: 'Allow', actions: ['*'], resources: ['*'] }] as const;

export function defaultLocalConfig(region = 'us-east-1'): LocalConfig {
  return {
    principals: [
      {
        name: 'demo',
        accountId: DEFAULT_ACCOUNT_ID,
        arn: `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:user/demo`,
        accessKeyId: DEMO_ACCESS_KEY_ID,
        secretAccessKey: DEMO_SECRET_ACCESS_KEY,
        policy: ALLOW_ALL,
      },
    ],
    roles: [
      {
        arn: DEMO_ROLE_ARN,
        name: 'signet-local',
        accountId: DEFAULT_ACCOUNT_ID,
        maxSessionDuration: 43200,
        // The account's principals may assume it too (sts:AssumeRole, --role-arn).
        trust: { principals: [DEFAULT_ACCOUNT_ID] },
        policy: ALLOW_ALL,
      },
    ],
    policies: {},
    instances: [
      {
        instanceId: DEMO_INSTANCE_ID,
        imageId: 'ami-0abcdef1234567890',
        instanceType: 't3.micro',
        privateIp: '10.0.0.10',
        state: 'running',
        tags: { Name: 'signet-local' },
        // An availability zone of the region signet local stands in for.
        availabilityZone: `${region}a`,
        vpcId: 'vpc-0a1b2c3d',
        subnetId: 'subnet-0a1b2c3d',
        launchTime: '2024-01-01T00:00:00.000Z',
        self: true,
        role: DEMO_ROLE_ARN,
        accountId: DEFAULT_ACCOUNT_ID,
      },
    ],
    container: {
      role: DEMO_ROLE_ARN,
      authorizationToken: DEMO_CONTAINER_TOKEN,
      fullUriPath: DEMO_CONTAINER_PATH,
    },
    executeApi: {},
    faults: [],
    credentialDurationSeconds: 3600,
  };
}
