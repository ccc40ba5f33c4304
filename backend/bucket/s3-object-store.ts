/** The object store on Amazon S3: the SDK's paginator and its typed exceptions, conditional writes. */
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3ServiceException,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { ConditionFailed, type ListedObject, type ObjectStore, type PutOptions } from './object-store.ts';
import { S3ObjectReader } from './s3-object-reader.ts';

export class S3ObjectStore extends S3ObjectReader implements ObjectStore {
  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey) return false;
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return false;
      throw this.unavailable('read', key, error);
    }
  }

  async put(key: string, body: string | Uint8Array, options: PutOptions = {}): Promise<string> {
    const condition = options.condition;
    try {
      const response = await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: options.contentType,
          ...(condition && 'ifNoneMatch' in condition ? { IfNoneMatch: condition.ifNoneMatch } : {}),
          ...(condition && 'ifMatch' in condition ? { IfMatch: condition.ifMatch } : {}),
        }),
      );
      return response.ETag ?? '';
    } catch (error) {
      if (isConditionFailure(error)) throw new ConditionFailed(`${this.description}/${key} was changed by someone else`);
      throw this.unavailable('write', key, error);
    }
  }

  async delete(key: string, options: { ifMatch?: string } = {}): Promise<void> {
    try {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key, IfMatch: options.ifMatch }));
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return;
      if (isConditionFailure(error)) throw new ConditionFailed(`${this.description}/${key} was changed by someone else`);
      throw this.unavailable('delete', key, error);
    }
  }

  async list(prefix: string): Promise<ListedObject[]> {
    const objects: ListedObject[] = [];
    try {
      for await (const page of paginateListObjectsV2({ client: this.s3 }, { Bucket: this.bucket, Prefix: prefix || undefined })) {
        for (const object of page.Contents ?? []) {
          if (!object.Key) continue;
          objects.push({ key: object.Key, etag: object.ETag ?? '', size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) });
        }
      }
    } catch (error) {
      throw this.unavailable('list', prefix, error);
    }
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

/** 412 Precondition Failed, or 409 when S3 sees two conditional writes race. */
function isConditionFailure(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  const status = error.$metadata.httpStatusCode;
  return status === 412 || status === 409 || error.name === 'PreconditionFailed' || error.name === 'ConditionalRequestConflict';
}
