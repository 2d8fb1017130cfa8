/**
 * Signature cross-checks, run once per case before anything is measured: a
 * fast signer that signs wrong would make the comparison meaningless. Every
 * check compares a full Authorization header, so any difference in the
 * canonical request, the string to sign or the key derivation shows up.
 */
import { createHash } from 'node:crypto';
import aws4 from 'aws4';
import { HttpRequest } from '@smithy/protocol-http';
import { SigV4Signer } from '../../src/aws/sigv4/index.js';
import {
  CREDENTIALS,
  HOST,
  REGION,
  SERVICE,
  SIGNING_DATE,
  SIGNING_MS,
  aws4Request,
  newSmithy,
  signetRequest,
  smithyRequest,
  type BenchCase,
} from './sign-cases.js';

/** A disagreement between signers, as opposed to a bug in the benchmark itself. */
export class CrossCheckError extends Error {}

function assertSame(what: string, ours: string | undefined, theirs: string | undefined): void {
  if (ours === undefined || ours !== theirs) {
    throw new CrossCheckError(`${what}\n  expected: ${theirs}\n  got:      ${ours}`);
  }
}

/** Throws a CrossCheckError if the signers do not agree on `c`. */
export async function crossCheck(c: BenchCase): Promise<void> {
  const smithy = newSmithy();
  const headerNames = Object.keys(c.headers).map((n) => n.toLowerCase());

  // 1. The measured configuration (minimal policy): smithy is told to leave
  //    out exactly the headers Signet does not sign.
  const signet = new SigV4Signer({ service: SERVICE, region: REGION });
  const ours = signet.sign(signetRequest(c), CREDENTIALS, { signingDate: SIGNING_MS });
  const signedByUs = new Set(ours.signedHeaders.split(';'));
  const theirs = await smithy.sign(smithyRequest(c), {
    signingDate: SIGNING_DATE,
    unsignableHeaders: new Set(headerNames.filter((n) => !signedByUs.has(n))),
  });
  assertSame(
    `${c.name}: Signet (minimal policy) and smithy disagree on Authorization`,
    ours.headers.authorization,
    theirs.headers.authorization,
  );

  // 2. Every header signed, smithy's default behaviour.
  const signetAll = new SigV4Signer({ service: SERVICE, region: REGION, headerPolicy: 'all' });
  const oursAll = signetAll.sign(signetRequest(c), CREDENTIALS, { signingDate: SIGNING_MS });
  const theirsAll = await smithy.sign(smithyRequest(c), { signingDate: SIGNING_DATE });
  assertSame(
    `${c.name}: Signet (all headers) and smithy disagree on Authorization`,
    oursAll.headers.authorization,
    theirsAll.headers.authorization,
  );

  // 3. aws4 must hash a Buffer body itself (it hashes `body || ''`), and its
  //    signature must be a correct one: smithy, given the headers aws4 ended
  //    up signing (it adds Content-Length), has to produce the same header.
  const bodyHash = createHash('sha256')
    .update(c.body ?? '')
    .digest('hex');
  const canonical = new aws4.RequestSigner(aws4Request(c), CREDENTIALS).canonicalString();
  assertSame(`${c.name}: aws4's payload hash`, canonical.split('\n').at(-1), bodyHash);
  const signedByAws4 = aws4.sign(aws4Request(c), CREDENTIALS);
  const asSent: Record<string, string> = {};
  for (const [name, value] of Object.entries(signedByAws4.headers ?? {})) {
    if (value === undefined || name.toLowerCase() === 'authorization') continue;
    asSent[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : String(value);
  }
  const smithyLikeAws4 = await smithy.sign(
    new HttpRequest({
      method: c.method,
      protocol: 'https:',
      hostname: HOST,
      path: c.path,
      query: { ...c.query },
      headers: asSent,
      body: c.body,
    }),
    { signingDate: SIGNING_DATE },
  );
  const aws4Auth = signedByAws4.headers?.Authorization;
  assertSame(
    `${c.name}: aws4 and smithy disagree on Authorization`,
    typeof aws4Auth === 'string' ? aws4Auth : undefined,
    smithyLikeAws4.headers.authorization,
  );
}
