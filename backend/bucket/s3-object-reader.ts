/**
 * Reading objects from Amazon S3: the part of the S3 store the API needs. S3ObjectStore extends it
 * with listing and (conditional) writes; the API imports only this, so its bundle and role can read
 * and nothing else.
 */
import { GetObjectCommand, NoSuchKey, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { StoreUnavailable, type ObjectStore, type StoredObject } from './object-store.ts';
import { errorName } from '../../shared/error-text.ts';

export class S3ObjectReader implements Pick<ObjectStore, 'get' | 'description'> {
  readonly description: string;

  constructor(
    protected readonly s3: S3Client,
    protected readonly bucket: string,
  ) {
    this.description = `s3://${bucket}`;
  }

  async get(key: string, options: { ifNoneMatch?: string } = {}): Promise<StoredObject | undefined | 'not-modified'> {
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, IfNoneMatch: options.ifNoneMatch }));
      const body = (await response.Body?.transformToByteArray()) ?? new Uint8Array();
      return { body, etag: response.ETag ?? '' };
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 304) return 'not-modified';
      throw this.unavailable('read', key, error);
    }
  }

  protected unavailable(action: string, key: string, error: unknown): StoreUnavailable {
    const reason =
      error instanceof S3ServiceException
        ? `${error.name}${error.$metadata.httpStatusCode ? ` (HTTP ${error.$metadata.httpStatusCode})` : ''}`
        : errorName(error);
    return new StoreUnavailable(`cannot ${action} ${this.description}/${key}: ${reason}`, { cause: error });
  }
}
