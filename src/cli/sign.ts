import { STATUS_CODES } from 'node:http';
import { parseArgs } from 'node:util';
import { getGlobalDispatcher } from 'undici';
import { SignetError } from '../errors.js';
import { SigV4Signer, type SignedRequest } from '../aws/sigv4/index.js';
import { CREDENTIAL_OPTIONS, CREDENTIAL_USAGE, resolveCredentials } from './credentials.js';
import {
  parseDate,
  parseHeaders,
  parseUrl,
  readData,
  signingScope,
  wirePath,
} from './sign-input.js';
import { explainJson, explainText, signedUrl } from './sign-output.js';
import { UsageError } from './usage-error.js';

export const SIGN_USAGE = `Usage: signet sign [options] URL

Sends a SigV4-signed request and prints the response body, like curl.

Options:
  -X, --request METHOD     HTTP method (default GET, or POST with --data)
  -H, --header 'N: v'      add a header (repeatable)
  -d, --data DATA          request body: a string, @FILE, or @- for standard input
      --region REGION      signing region (default: read from the host, then AWS_REGION)
      --service NAME       signing service (default: read from the host)
      --sigv4a             sign with SigV4a (ECDSA) for the region set in --region (e.g. '*')
      --sign-all-headers   sign every header, not only host, x-amz-* and content-*
      --unsigned-payload   do not hash the body (S3 UNSIGNED-PAYLOAD)
      --presign            put the signature in the query: print a presigned URL
      --expires SECONDS    presigned URL lifetime, 1 to 604800 (default 3600)
  -i, --include            print the status line and response headers first
      --explain            sign without sending; show canonical request, string to sign, headers
      --json               with --explain: one JSON object
      --date YYYYMMDDTHHMMSSZ  sign at this time instead of now
${CREDENTIAL_USAGE}

Exit status: 0 on success, 22 when the server answers with an HTTP error, 2 for a bad command line, 1 otherwise.`;

/** Exit status for an HTTP error answer, as `curl --fail` uses. */
const HTTP_ERROR_STATUS = 22;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        request: { type: 'string', short: 'X' },
        header: { type: 'string', short: 'H', multiple: true },
        data: { type: 'string', short: 'd' },
        region: { type: 'string' },
        service: { type: 'string' },
        sigv4a: { type: 'boolean' },
        'sign-all-headers': { type: 'boolean' },
        'unsigned-payload': { type: 'boolean' },
        presign: { type: 'boolean' },
        expires: { type: 'string' },
        include: { type: 'boolean', short: 'i' },
        explain: { type: 'boolean' },
        json: { type: 'boolean' },
        date: { type: 'string' },
        ...CREDENTIAL_OPTIONS,
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // parseArgs' messages name the option; drop its advice about `--` which does not apply here.
    const message = error instanceof Error ? error.message.split('. ')[0]! : String(error);
    throw new UsageError(message.replace(/^Option '/, "option '"), {
      hint: 'run `signet help sign`',
    });
  }
}

export async function runSign(argv: string[]): Promise<number> {
  const { values: o, positionals } = parse(argv);
  if (o.help) {
    console.log(SIGN_USAGE);
    return 0;
  }
  if (positionals.length > 1) {
    throw new UsageError(`one URL expected, got ${positionals.length}: ${positionals.join(' ')}`, {
      hint: 'quote a URL that holds & or spaces',
    });
  }
  const url = parseUrl(positionals[0]);
  const headers = parseHeaders(o.header ?? []);
  const body = await readData(o.data, process.stdin);
  const date = parseDate(o.date);
  const expiresIn = o.expires === undefined ? undefined : Number(o.expires);
  const { region, service } = signingScope(url, o.region, o.service, process.env);
  const { sourced, provider } = await resolveCredentials(o, process.env, region);
  provider.close();
  const method = (o.request ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();

  const signer = new SigV4Signer({
    service,
    region,
    algorithm: o.sigv4a ? 'sigv4a' : 'sigv4',
    regionSet: o.sigv4a ? region.split(',') : undefined,
    headerPolicy: o['sign-all-headers'] ? 'all' : 'minimal',
  });
  const input = {
    method,
    host: url.host,
    path: wirePath(positionals[0]!, url),
    query: url.search.slice(1),
    headers,
    body,
  };
  const overrides = { signingDate: date, unsignedPayload: o['unsigned-payload'] };
  const signed = o.presign
    ? signer.presign(input, sourced.credentials, { ...overrides, expiresIn })
    : signer.sign(input, sourced.credentials, overrides);

  const context = { url, signed, region, service, sourced, presign: Boolean(o.presign) };
  if (o.explain) {
    console.log(o.json ? explainJson(context) : explainText(context));
    return 0;
  }
  if (o.presign) {
    console.log(signedUrl(url, signed));
    return 0;
  }
  return send(url, signed, body, Boolean(o.include));
}

async function send(
  url: URL,
  signed: SignedRequest,
  body: Buffer | undefined,
  include: boolean,
): Promise<number> {
  let response;
  try {
    // The dispatcher takes the path as given; undici's request() would parse the
    // URL again and resolve the dot segments the signature was computed over.
    response = await getGlobalDispatcher().request({
      origin: url.origin,
      path: signed.query ? `${signed.path}?${signed.query}` : signed.path,
      method: signed.method,
      headers: signed.headers,
      body: body ?? null,
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SignetError(`could not reach ${url.origin}: ${code ?? reason}`, {
      hint:
        code === 'ECONNREFUSED'
          ? 'is the server running and the port right?'
          : code === 'ENOTFOUND'
            ? 'check the host name'
            : 'check the URL and your network',
    });
  }
  const payload = Buffer.from(await response.body.arrayBuffer());
  if (include) {
    const lines = [
      `HTTP/1.1 ${response.statusCode} ${STATUS_CODES[response.statusCode] ?? ''}`.trimEnd(),
    ];
    for (const [name, value] of Object.entries(response.headers)) {
      for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
    }
    process.stdout.write(lines.join('\r\n') + '\r\n\r\n');
  }
  process.stdout.write(payload);
  if (response.statusCode >= 400) {
    process.stderr.write(
      `signet sign: the server answered ${response.statusCode} ${STATUS_CODES[response.statusCode] ?? ''}`.trimEnd() +
        '\n',
    );
    return HTTP_ERROR_STATUS;
  }
  return 0;
}
