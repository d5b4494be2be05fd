import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

export interface S3ClientOptions {
  /** A local S3-protocol server (the embedded runtime); unset on AWS. */
  endpoint?: string;
  region?: string;
}

/**
 * Local S3 servers need path-style addressing, and checksums only when required: with the SDK's default
 * (`WHEN_SUPPORTED`) streamed uploads are sent with aws-chunked framing that a local server stores verbatim.
 */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  const config: S3ClientConfig = {
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  if (options.endpoint) {
    config.endpoint = options.endpoint;
    config.forcePathStyle = true;
    config.credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  }
  return new S3Client(config);
}
