/**
 * One provider per distinct credential configuration and region, shared by
 * every destination that uses it: ten remote_write endpoints behind one role
 * make one STS call per refresh, not ten.
 */
import {
  createCredentialProvider,
  type LayeredProvider,
  type ProviderOptions,
} from './provider.js';
import type { CredentialSpec } from './spec.js';
import type { CredentialStatus } from './types.js';

export class CredentialRegistry {
  private readonly providers = new Map<string, LayeredProvider>();

  constructor(private readonly options: Omit<ProviderOptions, 'region'> = {}) {}

  provider(spec: CredentialSpec, region: string | undefined): LayeredProvider {
    // The key holds secrets but lives only in memory, like the credentials themselves.
    const key = JSON.stringify([
      region ?? null,
      spec.accessKeyId ?? null,
      spec.secretAccessKey ?? null,
      spec.sessionToken ?? null,
      spec.profile ?? null,
      spec.stsEndpoint ?? null,
      spec.useFipsStsEndpoint ?? false,
      (spec.roles ?? []).map((r) => [
        r.roleArn,
        r.externalId ?? null,
        r.sessionName ?? null,
        r.durationSeconds ?? null,
      ]),
    ]);
    let provider = this.providers.get(key);
    if (!provider) {
      provider = createCredentialProvider(spec, { ...this.options, region });
      this.providers.set(key, provider);
    }
    return provider;
  }

  /** Every provider's status, for metrics and the status page. */
  statuses(): CredentialStatus[] {
    return [...this.providers.values()].map((p) => p.status());
  }

  get size(): number {
    return this.providers.size;
  }

  close(): void {
    for (const p of this.providers.values()) p.close();
    this.providers.clear();
  }
}
