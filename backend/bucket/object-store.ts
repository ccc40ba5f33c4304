/**
 * The few object-store operations the policy bucket needs, with S3's conditional writes. One S3
 * adapter implements it (s3-object-store.ts); tests also run the bucket over an in-memory store.
 */

export interface StoredObject {
  body: Uint8Array;
  etag: string;
}

export interface ListedObject {
  key: string;
  etag: string;
  size: number;
  lastModified: Date;
}

/** Create only if absent (`ifNoneMatch: '*'`), or replace only this version (`ifMatch: etag`). */
export type WriteCondition = { ifNoneMatch: '*' } | { ifMatch: string };

export interface PutOptions {
  contentType?: string;
  condition?: WriteCondition;
}

export interface ObjectStore {
  /** For messages: "s3://bucket". */
  readonly description: string;
  /** The object, `undefined` when absent, `'not-modified'` when its ETag equals `ifNoneMatch`. */
  get(key: string, options?: { ifNoneMatch?: string }): Promise<StoredObject | undefined | 'not-modified'>;
  exists(key: string): Promise<boolean>;
  /** Returns the new ETag; throws `ConditionFailed` when the condition does not hold. */
  put(key: string, body: string | Uint8Array, options?: PutOptions): Promise<string>;
  /** Absent objects are fine; throws `ConditionFailed` when `ifMatch` names another version. */
  delete(key: string, options?: { ifMatch?: string }): Promise<void>;
  list(prefix: string): Promise<ListedObject[]>;
}

/** A conditional write or delete lost: someone else changed the object first. */
export class ConditionFailed extends Error {
  override readonly name = 'ConditionFailed';
}

/** The store cannot be reached or refused the call; the message names the store and the reason, never data. */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
}

/** An object of Switchyard's own is unreadable; the message names it. */
export class BucketContentError extends Error {
  override readonly name = 'BucketContentError';
}
