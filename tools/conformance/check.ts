import { createPublicKey, verify } from 'node:crypto';
import { inferEndpoint } from '../../src/aws/endpoints.js';
import {
  deriveSigV4aKeyPair,
  EMPTY_SHA256,
  parseQueryString,
  SigV4Signer,
  type AwsCredentials,
  type SignedRequest,
} from '../../src/aws/sigv4/index.js';
import { headerMap, parseRequestText, type RawRequest } from './http-text.js';
import type { SuiteCase } from './suite.js';

/** One checked vector: a case signed one way (header or query). */
export interface VectorResult {
  readonly name: string;
  readonly problems: readonly string[];
}

const EXAMPLE_CREDENTIALS: AwsCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

interface Plan {
  readonly credentials: AwsCredentials;
  readonly region: string;
  readonly service: string;
  readonly signingDate: Date;
  readonly normalize: boolean;
  readonly signBody: boolean;
  readonly expiresIn: number;
  readonly signSessionToken: boolean;
}

function findHeader(request: RawRequest, name: string): string | undefined {
  return request.headers.find(([n]) => n.toLowerCase() === name)?.[1].trim();
}

function fromAmzDate(value: string): Date {
  const iso = value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
  return new Date(iso);
}

/**
 * The smithy-rs extras have no context.json: region and service come from the
 * host, the time from the expected canonical request (the request's own
 * X-Amz-Date is stale in one of them, as the suite's README explains).
 */
function planFor(c: SuiteCase, request: RawRequest): Plan {
  if (c.context) {
    return {
      credentials: c.context.credentials,
      region: c.context.region,
      service: c.context.service,
      signingDate: new Date(c.context.timestamp),
      normalize: c.context.normalize,
      signBody: c.context.signBody,
      expiresIn: c.context.expiresIn,
      signSessionToken: !c.context.omitSessionToken,
    };
  }
  const host = findHeader(request, 'host') ?? '';
  const endpoint = inferEndpoint(host);
  const expectedDate = /\nx-amz-date:(\S+)\n/.exec(
    c.read('header-canonical-request.txt') ?? '',
  )?.[1];
  return {
    credentials: EXAMPLE_CREDENTIALS,
    region: endpoint?.region ?? 'us-east-1',
    service: endpoint?.service ?? 'service',
    signingDate: fromAmzDate(expectedDate ?? findHeader(request, 'x-amz-date') ?? ''),
    normalize: true,
    signBody: false,
    expiresIn: 3600,
    signSessionToken: true,
  };
}

function compareText(
  problems: string[],
  what: string,
  expectedFile: string | undefined,
  actual: string,
): void {
  // The files have no trailing newline, except one of the smithy-rs extras; a final newline is not part of the text.
  const expected = expectedFile?.replace(/\n$/, '');
  if (expected !== undefined && expected !== actual) {
    problems.push(`${what} differs\n--- expected\n${expected}\n--- actual\n${actual}`);
  }
}

/** The header lines a signer added: those in the signed request that the request did not have. */
function addedHeaders(signedText: string, request: RawRequest): Map<string, string> {
  const before = new Set(request.headers.map(([n]) => n.toLowerCase()));
  const added = new Map<string, string>();
  for (const [name, value] of parseRequestText(signedText).headers) {
    if (!before.has(name.toLowerCase())) added.set(name.toLowerCase(), value.trim());
  }
  return added;
}

function withoutSignature(authorization: string | undefined): string | undefined {
  return authorization?.replace(/Signature=[0-9a-f]+$/, 'Signature=…');
}

function checkSignature(
  problems: string[],
  c: SuiteCase,
  form: 'header' | 'query',
  signed: SignedRequest,
  plan: Plan,
): void {
  if (c.algorithm === 'sigv4') {
    compareText(problems, 'signature', c.read(`${form}-signature.txt`)?.trim(), signed.signature);
    return;
  }
  // ECDSA signatures are randomised: check ours, and the suite's, against the case's public key.
  const publicKeyText = c.read('public-key.json');
  if (publicKeyText === undefined) {
    problems.push('public-key.json is missing');
    return;
  }
  const { X, Y } = JSON.parse(publicKeyText) as { X: string; Y: string };
  const publicKey = createPublicKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: Buffer.from(X, 'hex').toString('base64url'),
      y: Buffer.from(Y, 'hex').toString('base64url'),
    },
  });
  const data = Buffer.from(signed.stringToSign, 'utf8');
  if (!verify('sha256', data, publicKey, Buffer.from(signed.signature, 'hex'))) {
    problems.push("Signet's SigV4a signature does not verify with public-key.json");
  }
  const reference = c.read(`${form}-signature.txt`)?.trim();
  if (reference && !verify('sha256', data, publicKey, Buffer.from(reference, 'hex'))) {
    problems.push(`the suite's ${form}-signature.txt does not verify over Signet's string to sign`);
  }
  const pair = deriveSigV4aKeyPair(plan.credentials.accessKeyId, plan.credentials.secretAccessKey);
  if (pair.x.toString('hex') !== X.toLowerCase() || pair.y.toString('hex') !== Y.toLowerCase()) {
    problems.push('the derived SigV4a public key differs from public-key.json');
  }
}

/** Canonical request, string to sign and signature of one form against the case's files. */
function checkSteps(
  problems: string[],
  c: SuiteCase,
  form: 'header' | 'query',
  signed: SignedRequest,
  plan: Plan,
): void {
  compareText(
    problems,
    'canonical request',
    c.read(`${form}-canonical-request.txt`),
    signed.canonicalRequest,
  );
  compareText(
    problems,
    'string to sign',
    c.read(`${form}-string-to-sign.txt`),
    signed.stringToSign,
  );
  checkSignature(problems, c, form, signed, plan);
}

function decodedPairs(query: string): string[] {
  return parseQueryString(query)
    .map(([k, v]) => `${k}=${v}`)
    .sort();
}

export function checkCase(c: SuiteCase): VectorResult[] {
  const requestText = c.read('request.txt');
  if (requestText === undefined) return [{ name: c.name, problems: ['request.txt is missing'] }];
  const request = parseRequestText(requestText);
  const plan = planFor(c, request);
  const signer = new SigV4Signer({
    service: plan.service,
    region: plan.region,
    algorithm: c.algorithm,
    headerPolicy: 'all',
    normalizePath: plan.normalize,
    uriEscapePath: true,
    applyChecksum: plan.signBody,
  });
  const input = {
    method: request.method,
    path: request.path,
    query: request.query,
    headers: headerMap(request.headers),
    body: request.body,
  };
  const overrides = {
    signingDate: plan.signingDate,
    signSessionToken: plan.signSessionToken,
    payloadHash: plan.signBody ? undefined : EMPTY_SHA256,
  };
  const results: VectorResult[] = [];

  if (c.read('header-canonical-request.txt') !== undefined) {
    const problems: string[] = [];
    const signed = signer.sign(input, plan.credentials, overrides);
    checkSteps(problems, c, 'header', signed, plan);
    const signedText = c.read('header-signed-request.txt');
    const signedMatchesPlan = signedText?.includes(
      `Credential=${plan.credentials.accessKeyId}/${signed.credentialScope}`,
    );
    if (signedText !== undefined && signedMatchesPlan) {
      const expected = addedHeaders(signedText, request);
      const actual = new Map(
        Object.entries(signed.headers).map(([n, v]) => [n.toLowerCase(), v] as const),
      );
      for (const [name, value] of expected) {
        const mine = actual.get(name);
        const same =
          name === 'authorization' && c.algorithm === 'sigv4a'
            ? withoutSignature(mine) === withoutSignature(value)
            : mine === value;
        if (!same) problems.push(`header ${name}: expected ${value}, got ${mine ?? '(none)'}`);
      }
    }
    results.push({ name: `${c.name} header`, problems });
  }

  if (c.read('query-canonical-request.txt') !== undefined) {
    const problems: string[] = [];
    const signed = signer.presign(input, plan.credentials, {
      ...overrides,
      expiresIn: plan.expiresIn,
    });
    checkSteps(problems, c, 'query', signed, plan);
    const signedText = c.read('query-signed-request.txt');
    if (signedText !== undefined) {
      const target = parseRequestText(signedText);
      const strip = (pairs: string[]) =>
        c.algorithm === 'sigv4a' ? pairs.filter((p) => !p.startsWith('X-Amz-Signature=')) : pairs;
      const expected = strip(decodedPairs(target.query)).join('&');
      const actual = strip(decodedPairs(signed.query)).join('&');
      compareText(problems, 'presigned query parameters', expected, actual);
    }
    results.push({ name: `${c.name} query`, problems });
  }
  return results;
}
