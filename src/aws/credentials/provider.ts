/**
 * Builds the provider a destination signs with: the base chain, then each role
 * of `roles` assumed in turn. Every layer is its own refreshing cache, so each
 * hop refreshes on its own schedule and a hop's refresh reuses the still-valid
 * credentials of the hop below it.
 */
import { CorrectedClock } from '../clock.js';
import type { Env } from '../env.js';
import type { AwsCredentials } from '../sigv4/types.js';
import { assumeRole } from '../sts/client.js';
import { stsEndpoint } from '../sts/endpoint.js';
import { resolveBaseCredentials } from './chain.js';
import { RefreshingCredentials, type RefreshEvent } from './refreshing.js';
import type { BackoffOptions } from './refresh-schedule.js';
import {
  CHAINED_ROLE_MAX_SECONDS,
  DEFAULT_ROLE_DURATION_SECONDS,
  type CredentialSpec,
  type RoleHop,
} from './spec.js';
import type { CredentialProvider, CredentialStatus, Resolution } from './types.js';
import { defaultSessionName, type SourceContext } from './sources/context.js';

export interface ProviderOptions {
  readonly env?: Env;
  /** Shared with the senders, so expiry decisions and STS calls use AWS's time. */
  readonly clock?: CorrectedClock;
  /** The destination's signing region; STS calls go to this region. */
  readonly region?: string | undefined;
  readonly timeoutMs?: number;
  /** Keep refreshing from timers (the agent); off for one-shot commands. */
  readonly background?: boolean;
  readonly backoff?: BackoffOptions;
  readonly minForceIntervalMs?: number;
  readonly fileCheckIntervalMs?: number;
  readonly random?: () => number;
  /** Told of every refresh attempt of every layer; `layer` 0 is the base chain. */
  readonly onRefresh?: (layer: number, event: RefreshEvent) => void;
}

function hopDuration(hop: RoleHop, chained: boolean): number {
  const wanted = hop.durationSeconds ?? DEFAULT_ROLE_DURATION_SECONDS;
  return chained ? Math.min(wanted, CHAINED_ROLE_MAX_SECONDS) : wanted;
}

export function createCredentialProvider(
  spec: CredentialSpec,
  options: ProviderOptions = {},
): LayeredProvider {
  const clock = options.clock ?? new CorrectedClock();
  const ctx: SourceContext = {
    env: options.env ?? process.env,
    clock,
    region: options.region,
    stsEndpoint: spec.stsEndpoint,
    useFipsStsEndpoint: spec.useFipsStsEndpoint,
    timeoutMs: options.timeoutMs ?? 5000,
  };
  const common = (layer: number) => ({
    now: clock.now,
    ...(options.random ? { random: options.random } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.minForceIntervalMs === undefined
      ? {}
      : { minForceIntervalMs: options.minForceIntervalMs }),
    ...(options.fileCheckIntervalMs === undefined
      ? {}
      : { fileCheckIntervalMs: options.fileCheckIntervalMs }),
    background: options.background ?? false,
    ...(options.onRefresh ? { onRefresh: (e: RefreshEvent) => options.onRefresh?.(layer, e) } : {}),
  });

  const layers: RefreshingCredentials[] = [
    new RefreshingCredentials({ ...common(0), resolve: () => resolveBaseCredentials(spec, ctx) }),
  ];
  (spec.roles ?? []).forEach((hop, index) => {
    const below = layers[layers.length - 1]!;
    layers.push(
      new RefreshingCredentials({
        ...common(index + 1),
        resolve: async () => {
          const base = await below.get();
          const belowStatus = below.status();
          const resolution = below.resolution();
          const region = options.region ?? resolution?.region ?? 'us-east-1';
          const endpoint = stsEndpoint({
            region,
            fips: spec.useFipsStsEndpoint ?? false,
            ...(spec.stsEndpoint ? { endpoint: spec.stsEndpoint } : {}),
            env: ctx.env,
          });
          const sessionName = hop.sessionName ?? defaultSessionName();
          const chained = index > 0 || base.sessionToken !== undefined;
          const assumed = await assumeRole(
            below,
            {
              roleArn: hop.roleArn,
              sessionName,
              externalId: hop.externalId,
              durationSeconds: hopDuration(hop, chained),
            },
            { endpoint, clock, timeoutMs: ctx.timeoutMs },
          );
          const extra = hop.externalId ? ', with external_id' : '';
          return {
            credentials: assumed.credentials,
            source: belowStatus.source ?? 'assume-role',
            chain: [
              ...belowStatus.chain,
              {
                source: 'assume-role',
                outcome: 'used',
                detail: `${hop.roleArn} as session ${sessionName}${extra} (STS ${endpoint.url})`,
              },
            ],
            ...(resolution?.region ? { region: resolution.region } : {}),
          };
        },
      }),
    );
  });
  return new LayeredProvider(layers);
}

/** The top layer is what callers sign with; closing it closes every layer beneath. */
export class LayeredProvider implements CredentialProvider {
  private readonly top: RefreshingCredentials;
  private refused: string | undefined;

  constructor(readonly layers: readonly RefreshingCredentials[]) {
    this.top = layers[layers.length - 1]!;
  }

  get(): Promise<AwsCredentials> {
    return this.top.get();
  }

  forceRefresh(): Promise<AwsCredentials> {
    return this.top.forceRefresh();
  }

  status(): CredentialStatus {
    return { ...this.top.status(), refused: this.refused };
  }

  noteAnswer(refusal: string | undefined): void {
    this.refused = refusal;
  }

  resolution(): Resolution | undefined {
    return this.top.resolution();
  }

  /** Resolves every layer now; failures are kept in `status()` and retried with backoff. */
  start(): Promise<void> {
    return this.top.start();
  }

  close(): void {
    for (const layer of this.layers) layer.close();
  }
}
