/** The S3 errors more than one operation answers with, worded as S3 words them. */
import { ServiceError } from '../../service.js';

export const noSuchBucket = (bucket: string): ServiceError =>
  new ServiceError('NoSuchBucket', 'The specified bucket does not exist', 404, 'Sender', {
    BucketName: bucket,
  });

export const noSuchKey = (key: string): ServiceError =>
  new ServiceError('NoSuchKey', 'The specified key does not exist.', 404, 'Sender', { Key: key });

export const noSuchUpload = (uploadId: string): ServiceError =>
  new ServiceError(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    404,
    'Sender',
    { UploadId: uploadId },
  );

export const invalidArgument = (message: string, name: string, value: string): ServiceError =>
  new ServiceError('InvalidArgument', message, 400, 'Sender', {
    ArgumentName: name,
    ArgumentValue: value,
  });

export const malformedXml = (): ServiceError =>
  new ServiceError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
  );

export const notImplemented = (what: string): ServiceError =>
  new ServiceError(
    'NotImplemented',
    `A header or query you provided implies functionality that is not implemented: ${what}`,
    501,
  );

export const badDigest = (message: string): ServiceError => new ServiceError('BadDigest', message);
