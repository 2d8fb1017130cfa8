/**
 * `signet doctor` with no destination: the credential chain, the identity AWS
 * sees and the clock, so a host can be checked before any config exists.
 */
import { CorrectedClock } from '../aws/clock.js';
import { CredentialRegistry } from '../aws/credentials/registry.js';
import type { CredentialSpec } from '../aws/credentials/spec.js';
import { resolveRegion } from '../aws/region.js';
import { SignetError } from '../errors.js';
import {
  checkCredentials,
  checkIdentity,
  problemOf,
  type IdentityReport,
} from './doctor-checks.js';
import type { DoctorReport } from './doctor.js';

export async function diagnoseIdentity(
  spec: CredentialSpec,
  configuredRegion: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<DoctorReport> {
  const clock = new CorrectedClock();
  const registry = new CredentialRegistry({ env, clock, timeoutMs: 2000 });
  try {
    // STS is asked in the region the agent would sign for; without one there is no endpoint to ask.
    let region: string | null = null;
    let regionProblem: SignetError | undefined;
    try {
      region = (await resolveRegion({ configured: configuredRegion, profile: spec.profile, env }))
        .region;
    } catch (error) {
      if (!(error instanceof SignetError)) throw error;
      regionProblem = error;
    }
    const provider = registry.provider(spec, region ?? undefined);
    const credentials = await checkCredentials(provider);
    const identity: IdentityReport =
      region !== null && !credentials.error
        ? await checkIdentity(provider, region, clock, env, spec.stsEndpoint)
        : {
            identity: null,
            clockOffsetSeconds: null,
            stsEndpoint: '',
            problem:
              regionProblem && !credentials.error
                ? {
                    ...problemOf(regionProblem),
                    message: `STS was not asked who these credentials are: ${regionProblem.message}`,
                    hint: 'pass --region REGION, or set AWS_REGION or region in the profile',
                  }
                : null,
          };
    return {
      credentials,
      identity: identity.identity,
      identityProblem: identity.problem,
      stsEndpoint: identity.stsEndpoint || null,
      region,
      clockOffsetSeconds: identity.clockOffsetSeconds,
      destinations: [],
      ok: identity.identity !== null,
    };
  } finally {
    registry.close();
  }
}
