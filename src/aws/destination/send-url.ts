/**
 * The URL a destination's requests actually go to. `AWS_ENDPOINT_URL_<SERVICE>`
 * or `AWS_ENDPOINT_URL` replaces the configured URL's origin (and prefixes its
 * path, as the SDKs do); the path and query the user configured are kept.
 */
import { SignetError } from '../../errors.js';
import { endpointOverride, type EndpointOverride } from '../endpoint-override.js';
import type { Env } from '../env.js';

export class EndpointOverrideError extends SignetError {}

export interface SendUrl {
  readonly url: string;
  readonly override: EndpointOverride | undefined;
}

export function sendUrl(configuredUrl: string, signingName: string, env: Env): SendUrl {
  const override = endpointOverride(signingName, env);
  if (!override) return { url: configuredUrl, override: undefined };
  let base: URL;
  try {
    base = new URL(override.url);
  } catch {
    throw new EndpointOverrideError(`${override.from} is not a URL: '${override.url}'`, {
      hint: `give a full URL such as http://127.0.0.1:4566, or unset ${override.from}`,
    });
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new EndpointOverrideError(`${override.from} must be an http or https URL`, {
      hint: `e.g. ${override.from}=http://127.0.0.1:4566`,
    });
  const configured = new URL(configuredUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return {
    url: `${base.origin}${prefix}${configured.pathname}${configured.search}`,
    override,
  };
}
