/**
 * One AWS destination from a URL and a signing block: the URL requests really
 * go to, the signing name and region (with where the region came from), the
 * shared credential provider and a signed client. `signet run` and
 * `signet doctor` both build their destinations here, so doctor probes the
 * host run sends to and signs as run signs.
 */
import { resolveRegion } from '../region.js';
import { sendUrl } from './send-url.js';
import { signedClient } from './signed-client.js';
import type { Destination, DestinationOptions } from './types.js';

/** Throws `RegionError` when no region can be found, `EndpointOverrideError` for a bad override. */
export async function createDestination(options: DestinationOptions): Promise<Destination> {
  const service = options.signing.service ?? options.defaultService;
  // The override moves only the host: the region is still read from the configured
  // URL, and the signature names the real service, as the SDKs do.
  const { url, override } = sendUrl(options.url, service, options.env);
  const region = await resolveRegion({
    configured: options.signing.region,
    configuredBy: options.signing.regionBy,
    url: options.url,
    profile: options.signing.credentials.profile,
    env: options.env,
    ...(options.imds === undefined ? {} : { imds: options.imds }),
  });
  const { credentials, client } = signedClient({
    service,
    region: region.region,
    credentials: options.signing.credentials,
    registry: options.registry,
    clock: options.clock,
    dispatcher: options.dispatcher,
    timeoutMs: options.timeoutMs,
  });
  if (override) {
    const sentTo = new URL(url).host;
    const configuredHost = new URL(options.url).host;
    options.log?.(
      `${override.from} is set: sending to ${sentTo} instead of ${configuredHost}, signed for ${service} in ${region.region}`,
      { variable: override.from, host: sentTo, configured_host: configuredHost },
    );
  }
  return {
    url,
    configuredUrl: options.url,
    endpointOverride: override,
    service,
    region: region.region,
    regionSource: region.from,
    credentials,
    client,
  };
}
