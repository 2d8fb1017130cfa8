/**
 * EC2 instance metadata, IMDSv2 only: a session token from `PUT /latest/api/token`
 * goes with every read, so a misrouted request never gets credentials without
 * it. Written here rather than with the SDK's provider because that one takes
 * its endpoint only from `process.env`, silently falls back to IMDSv1 unless
 * told not to, and does not give the region.
 */
import { envValue, type Env } from '../env.js';
import { httpRequest } from '../http/request.js';
import { SignetError } from '../../errors.js';

const TOKEN_TTL_SECONDS = 21_600;

export class ImdsError extends SignetError {}

/** `AWS_EC2_METADATA_SERVICE_ENDPOINT`, or the link-local address for the endpoint mode. */
export function imdsEndpoint(env: Env): string {
  const explicit = envValue(env, 'AWS_EC2_METADATA_SERVICE_ENDPOINT');
  if (explicit) return explicit.replace(/\/+$/, '');
  const ipv6 = envValue(env, 'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE')?.toLowerCase() === 'ipv6';
  return ipv6 ? 'http://[fd00:ec2::254]' : 'http://169.254.169.254';
}

export class ImdsClient {
  constructor(
    readonly endpoint: string,
    private readonly timeoutMs: number,
  ) {}

  private async token(): Promise<string> {
    const res = await httpRequest({
      method: 'PUT',
      url: `${this.endpoint}/latest/api/token`,
      headers: { 'x-aws-ec2-metadata-token-ttl-seconds': String(TOKEN_TTL_SECONDS) },
      timeoutMs: this.timeoutMs,
    });
    if (res.status !== 200) {
      throw new ImdsError(`IMDS at ${this.endpoint} refused a session token (HTTP ${res.status})`, {
        hint:
          res.status === 403
            ? 'IMDS is disabled for this instance, or the hop limit is too low for a container: raise HttpPutResponseHopLimit to 2'
            : 'check the instance metadata options (HttpTokens, HttpEndpoint)',
      });
    }
    return res.body.toString('utf8');
  }

  /** Reads metadata paths with one session token; answers in order. */
  async read(...paths: string[]): Promise<string[]> {
    const token = await this.token();
    const out: string[] = [];
    for (const path of paths) {
      const res = await httpRequest({
        method: 'GET',
        url: `${this.endpoint}/latest/${path}`,
        headers: { 'x-aws-ec2-metadata-token': token },
        timeoutMs: this.timeoutMs,
      });
      if (res.status !== 200) {
        throw new ImdsError(`IMDS answered HTTP ${res.status} for /latest/${path}`, {
          hint:
            res.status === 404 && path.includes('security-credentials')
              ? 'the instance has no IAM role: attach an instance profile'
              : 'check the instance metadata options',
        });
      }
      out.push(res.body.toString('utf8'));
    }
    return out;
  }

  async region(): Promise<string> {
    const [region] = await this.read('meta-data/placement/region');
    return region!.trim();
  }
}
