/**
 * Small marker objects on Amazon S3 that the API writes and checks for (ended sessions): put and
 * exists, nothing else, so the API's bundle and role can do no more with the bucket than that.
 */
import { HeadObjectCommand, NotFound, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { StoreUnavailable, type ObjectStore, type PutOptions } from './object-store.ts';
import { errorName } from '../../shared/error-text.ts';

export class S3MarkerStore implements Pick<ObjectStore, 'put' | 'exists' | 'description'> {
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
      throw this.unavailable('write', key, error);
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (error instanceof NotFound || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return false;
      throw this.unavailable('read', key, error);
    }
  }

  private unavailable(action: string, key: string, error: unknown): StoreUnavailable {
    const reason = error instanceof S3ServiceException ? `${error.name} (HTTP ${error.$metadata.httpStatusCode ?? '?'})` : errorName(error);
    return new StoreUnavailable(`cannot ${action} ${this.description}/${key}: ${reason}`, { cause: error });
  }
}
