/** What the destination factory takes and gives back, in AWS terms only. */
import type { Dispatcher } from 'undici';
import type { CorrectedClock } from '../clock.js';
import type { LayeredProvider } from '../credentials/provider.js';
import type { CredentialRegistry } from '../credentials/registry.js';
import type { CredentialSpec } from '../credentials/spec.js';
import type { EndpointOverride } from '../endpoint-override.js';
import type { Env } from '../env.js';
import type { AwsClient } from '../http/aws-client.js';
import type { ConfiguredBy, RegionSource } from '../region.js';

/** How one destination is signed; callers map their own config blocks (sigv4, aws_auth, flags) to it. */
export interface SigningOptions {
  /** The signing name; the factory's `defaultService` when absent. */
  readonly service?: string | undefined;
  /** The signing region; found from the URL, the environment, the profile or IMDS when absent. */
  readonly region?: string | undefined;
  /** Who gave `region`, so a report can say where it came from; default `config`. */
  readonly regionBy?: ConfiguredBy | undefined;
  readonly credentials: CredentialSpec;
}

/** Called once when the destination is built, for each endpoint override in force. */
export type OverrideLog = (message: string, fields: Readonly<Record<string, string>>) => void;

export interface DestinationOptions {
  /** The URL as configured: its host still names the region when none is given. */
  readonly url: string;
  readonly signing: SigningOptions;
  /** The signing name when the signing block names none, e.g. `aps` for remote write. */
  readonly defaultService: string;
  readonly env: Env;
  /** Shared by every destination of the process: one provider per credential configuration. */
  readonly registry: CredentialRegistry;
  readonly clock: CorrectedClock;
  readonly dispatcher?: Dispatcher | undefined;
  readonly timeoutMs?: number | undefined;
  readonly log?: OverrideLog | undefined;
  /** Ask IMDS for the region as the last resort; default true. */
  readonly imds?: boolean | undefined;
}

export interface Destination {
  /** Where requests go: the configured URL, moved by `AWS_ENDPOINT_URL_<SERVICE>`/`AWS_ENDPOINT_URL`. */
  readonly url: string;
  readonly configuredUrl: string;
  /** The variable that moved the URL, if one did. */
  readonly endpointOverride: EndpointOverride | undefined;
  readonly service: string;
  readonly region: string;
  readonly regionSource: RegionSource;
  readonly credentials: LayeredProvider;
  readonly client: AwsClient;
}
