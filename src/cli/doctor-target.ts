/**
 * One destination `signet doctor` checks, whatever its kind: how to build it
 * as `signet run` builds it, and the harmless signed call that probes it.
 */
import type { CorrectedClock } from '../aws/clock.js';
import type { CredentialRegistry } from '../aws/credentials/registry.js';
import type { CredentialSpec } from '../aws/credentials/spec.js';
import type { Destination } from '../aws/destination/index.js';
import type { LogSinkKind } from '../aws/permissions/log-sinks.js';
import type { ResolvedRegion } from '../aws/region.js';
import type { CallerIdentity } from '../aws/sts/xml.js';
import type { SignetError } from '../errors.js';
import type { ProbeReport } from './doctor-checks.js';

/** A remote_write, a bare `--url`, a logs client that goes to AWS, or a signed Loki push. */
export type DestinationKind = 'remote_write' | 'url' | 'loki' | LogSinkKind;

/** The destination as built, or why it could not be (the region, if found, either way). */
export interface Built {
  readonly destination?: Destination;
  readonly region?: ResolvedRegion;
  readonly problem?: SignetError;
}

export interface BuildContext {
  readonly env: NodeJS.ProcessEnv;
  readonly registry: CredentialRegistry;
  readonly clock: CorrectedClock;
}

export interface DoctorTarget {
  /** The key path, e.g. `logs.configs[0].clients[1]`, or `--url`. */
  readonly name: string;
  readonly kind: DestinationKind;
  /** As the user wrote it: the URL, or where a logs client sends (`cwlogs://…`, `s3://…`). */
  readonly configured: string;
  /** For a logs client: what it writes to, in words ("log group app", "bucket b"). */
  readonly resource?: string;
  /** The signing name, when known before building. */
  readonly service: string | undefined;
  readonly credentials: CredentialSpec;
  build(context: BuildContext): Promise<Built>;
  /** `identity` is who STS says the credentials are, for the ARNs of an explanation. */
  probe(destination: Destination, identity: CallerIdentity | null): Promise<ProbeReport>;
  /** Frees what build() opened (connections). */
  close(): Promise<void>;
}
