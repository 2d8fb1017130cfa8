/**
 * The S3 calls the sink makes, in S3's REST-XML protocol, signed by the
 * AwsClient for `s3`: its signer sends the body's SHA-256 as
 * `x-amz-content-sha256` and signs it, so S3 recomputes the hash and refuses
 * a body altered or cut in transit (XAmzContentSHA256Mismatch); with
 * `content_md5` every body also carries Content-MD5 (also signed), which
 * buckets with Object Lock require. Errors come back as AwsError or
 * NetworkError.
 */
import { createHash } from 'node:crypto';
import type { AwsClient } from '../../aws/http/aws-client.js';
import { parseAwsError } from '../../aws/errors/index.js';
import type { HttpResponse } from '../../aws/http/request.js';
import { objectUrl } from './destination.js';

export interface S3ApiOptions {
  readonly url: string;
  readonly bucket: string;
  readonly addressing: 'path' | 'virtual';
  readonly contentMd5: boolean;
}

export interface CompletedPart {
  readonly partNumber: number;
  readonly etag: string;
}

/** Text content escaped for XML; quotes may stay (ETags are quoted), as the SDKs send them. */
const xmlEscape = (text: string): string =>
  text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));

export class S3Api {
  constructor(
    private readonly aws: AwsClient,
    private readonly options: S3ApiOptions,
  ) {}

  /** PutObject; resolves with the stored object's ETag. */
  async putObject(key: string, body: Buffer, headers: Record<string, string>): Promise<string> {
    const response = await this.send('PUT', key, '', { ...headers, ...this.md5(body) }, body);
    return response.headers.etag ?? '';
  }

  /** CreateMultipartUpload; resolves with the upload id. */
  async createMultipartUpload(key: string, headers: Record<string, string>): Promise<string> {
    const response = await this.send('POST', key, 'uploads', headers);
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(response.body.toString('utf8'))?.[1];
    if (uploadId === undefined) throw this.answerError(response, 'CreateMultipartUpload', key);
    return uploadId;
  }

  /** UploadPart; resolves with the part's ETag, which CompleteMultipartUpload lists. */
  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
  ): Promise<string> {
    const query = `partNumber=${partNumber}&uploadId=${encodeURIComponent(uploadId)}`;
    const response = await this.send('PUT', key, query, this.md5(body), body);
    const etag = response.headers.etag;
    if (etag === undefined) throw this.answerError(response, 'UploadPart', key);
    return etag;
  }

  /**
   * CompleteMultipartUpload. S3 may answer 200 and still fail, with an
   * <Error> body (the answer starts before the parts are joined); that is
   * thrown like any error answer, usually InternalError, which is retried.
   */
  async completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: readonly CompletedPart[],
  ): Promise<void> {
    const body = Buffer.from(
      `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts
        .map(
          (p) =>
            `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${xmlEscape(p.etag)}</ETag></Part>`,
        )
        .join('')}</CompleteMultipartUpload>`,
      'utf8',
    );
    const response = await this.send(
      'POST',
      key,
      `uploadId=${encodeURIComponent(uploadId)}`,
      { 'content-type': 'application/xml', ...this.md5(body) },
      body,
    );
    const text = response.body.toString('utf8');
    if (!text.includes('<CompleteMultipartUploadResult')) {
      throw this.answerError(response, 'CompleteMultipartUpload', key);
    }
  }

  /** AbortMultipartUpload: the parts are deleted, so nothing of the object is left. */
  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    await this.send('DELETE', key, `uploadId=${encodeURIComponent(uploadId)}`, {});
  }

  /**
   * HeadBucket: resolves when the bucket exists and the caller may list it
   * (S3 authorizes HeadBucket as s3:ListBucket); `signet doctor`'s probe. The
   * answer has no body, so a refusal is known by its status alone (403, 404,
   * 301 or 400 for a bucket in another region).
   */
  async headBucket(): Promise<void> {
    const { url, addressing, bucket } = this.options;
    const root = objectUrl(url, addressing, bucket, '');
    // Path-style, the bucket's URL is `/<bucket>`, as the SDKs send it: no slash for an empty key.
    await this.aws.send({ method: 'HEAD', url: addressing === 'path' ? root.slice(0, -1) : root });
  }

  /**
   * ListObjectsV2 for no keys (`max-keys=0`): the same permission as
   * HeadBucket (s3:ListBucket), but a refusal comes with a body naming its
   * code (AccessDenied, SignatureDoesNotMatch, AuthorizationHeaderMalformed
   * and the bucket's region), which HeadBucket's answer cannot carry.
   */
  async listNoObjects(): Promise<void> {
    const { url, addressing, bucket } = this.options;
    const root = objectUrl(url, addressing, bucket, '');
    const target = addressing === 'path' ? root.slice(0, -1) : root;
    await this.aws.send({ method: 'GET', url: `${target}?list-type=2&max-keys=0` });
  }

  private md5(body: Buffer): Record<string, string> {
    return this.options.contentMd5
      ? { 'content-md5': createHash('md5').update(body).digest('base64') }
      : {};
  }

  private send(
    method: string,
    key: string,
    query: string,
    headers: Record<string, string>,
    body?: Buffer,
  ): Promise<HttpResponse> {
    const { url, addressing, bucket } = this.options;
    const target = objectUrl(url, addressing, bucket, key) + (query === '' ? '' : `?${query}`);
    return this.aws.send({
      method,
      url: target,
      headers,
      ...(body === undefined ? {} : { body }),
    });
  }

  /** A 2xx answer that is not what the call returns: its <Error>, or an InternalError. */
  private answerError(response: HttpResponse, operation: string, key: string): Error {
    const body = response.body.toString('utf8');
    return parseAwsError(
      {
        status: response.status,
        headers: response.headers,
        body: body.includes('<Error>')
          ? body
          : `<Error><Code>InternalError</Code><Message>${operation} answered ${response.status} without its result</Message></Error>`,
      },
      {
        service: 's3',
        method: 'POST',
        url: objectUrl(this.options.url, this.options.addressing, this.options.bucket, key),
      },
    );
  }
}
