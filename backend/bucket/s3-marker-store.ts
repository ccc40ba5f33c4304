/**
 * Small marker objects the API writes to the policy bucket on Amazon S3 (a revoked grant's request that
 * the reconciler run now): put, nothing else, so the API's bundle and role can do no more with the
 * bucket than that.
 */
import { PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { StoreUnavailable, type ObjectStore, type PutOptions } from './object-store.ts';
import { errorName } from '../../shared/error-text.ts';

export class S3MarkerStore implements Pick<ObjectStore, 'put' | 'description'> {
  readonly description: string;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {
    this.description = `s3://${bucket}`;
  }

  async put(key: string, body: string | Uint8Array, options: PutOptions = {}): Promise<string> {
    try {
      const response = await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: options.contentType }));
      return response.ETag ?? '';
    } catch (error) {
      const reason = error instanceof S3ServiceException ? `${error.name} (HTTP ${error.$metadata.httpStatusCode ?? '?'})` : errorName(error);
      throw new StoreUnavailable(`cannot write ${this.description}/${key}: ${reason}`, { cause: error });
    }
  }
}
