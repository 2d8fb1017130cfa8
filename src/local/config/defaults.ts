/**
 * The config `signet local` runs with when no `--config` is given: one user
 * with AWS's documentation example keys, allowed everything, so any SDK or
 * CLI pointed at the server works out of the box.
 */
import { DEFAULT_ACCOUNT_ID } from '../service.js';
import type { LocalConfig } from './types.js';

export const DEMO_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const DEMO_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

export function defaultLocalConfig(): LocalConfig {
  return {
    principals: [
      {
        name: 'demo',
        accountId: DEFAULT_ACCOUNT_ID,
        arn: `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:user/demo`,
        accessKeyId: DEMO_ACCESS_KEY_ID,
        secretAccessKey: DEMO_SECRET_ACCESS_KEY,
        policy: [{ effect: 'Allow', actions: ['*'], resources: ['*'] }],
      },
    ],
    roles: [],
    policies: {},
    instances: [],
    executeApi: {},
    faults: [],
    credentialDurationSeconds: 3600,
  };
}
