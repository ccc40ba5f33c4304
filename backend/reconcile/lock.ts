/**
 * Serializes reconcile runs with a lock object in the policy bucket, created by a conditional put
 * (If-None-Match: *) so only one run can hold it. A lock older than its expiry is taken over with
 * If-Match on its ETag (so two runs cannot both take it over). A run that finds the lock held
 * leaves a re-run request; the holder sees it and runs again on the latest files before letting
 * go, so the last files always win.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface LockRecord {
  owner: string;
  acquiredAt: string;
  expiresAt: string;
}

export interface BucketLockOptions {
  s3: S3Client;
  bucket: string;
  lockKey: string;
  rerunKey: string;
  /** How long a lock is honoured; past it, the holder is presumed dead. */
  ttlMs: number;
  now?: () => number;
}

export class BucketLock {
  private etag: string | undefined;
  private readonly now: () => number;

  constructor(private readonly options: BucketLockOptions) {
    this.now = options.now ?? Date.now;
  }

  /** True when this owner now holds the lock. */
  async tryAcquire(owner: string): Promise<boolean> {
    try {
      this.etag = await this.put(owner, { IfNoneMatch: '*' });
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const current = await this.read();
    if (current && Date.parse(current.record.expiresAt) > this.now()) return false;
    try {
      // Stale (or gone since): take it over only if it is still the object we just read.
      this.etag = await this.put(owner, current ? { IfMatch: current.etag } : { IfNoneMatch: '*' });
      return true;
    } catch (error) {
      if (isConditionFailure(error) || isNotFound(error)) return false;
      throw error;
    }
  }

  async release(): Promise<void> {
    if (!this.etag) return;
    try {
      await this.options.s3.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.options.lockKey, IfMatch: this.etag }));
    } catch (error) {
      // Someone took over an expired lock of ours: it is theirs now.
      if (!isConditionFailure(error) && !isNotFound(error)) throw error;
    } finally {
      this.etag = undefined;
    }
  }

  async requestRerun(owner: string): Promise<void> {
    const body = JSON.stringify({ requestedBy: owner, at: new Date(this.now()).toISOString() });
    await this.options.s3.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: this.options.rerunKey, Body: body, ContentType: 'application/json' }));
  }

  async rerunRequested(): Promise<boolean> {
    try {
      await this.options.s3.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.options.rerunKey }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** Called before reading the files: the run about to start satisfies every request made so far. */
  async clearRerunRequest(): Promise<void> {
    await this.options.s3.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.options.rerunKey }));
  }

  private async put(owner: string, condition: { IfNoneMatch?: string; IfMatch?: string }): Promise<string | undefined> {
    const now = this.now();
    const record: LockRecord = {
      owner,
      acquiredAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.options.ttlMs).toISOString(),
    };
    const response = await this.options.s3.send(
      new PutObjectCommand({ Bucket: this.options.bucket, Key: this.options.lockKey, Body: JSON.stringify(record), ContentType: 'application/json', ...condition }),
    );
    return response.ETag;
  }

  private async read(): Promise<{ record: LockRecord; etag: string | undefined } | undefined> {
    try {
      const response = await this.options.s3.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.options.lockKey }));
      const text = (await response.Body?.transformToString('utf8')) ?? '';
      let record: LockRecord;
      try {
        record = JSON.parse(text) as LockRecord;
      } catch {
        record = { owner: 'unknown', acquiredAt: '', expiresAt: new Date(0).toISOString() }; // unreadable: treat as stale
      }
      return { record, etag: response.ETag };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** 412 Precondition Failed, or 409 when S3 sees two conditional writes race. */
function isConditionFailure(error: unknown): boolean {
  const name = (error as Error).name;
  return statusOf(error) === 412 || statusOf(error) === 409 || name === 'PreconditionFailed' || name === 'ConditionalRequestConflict';
}

function isNotFound(error: unknown): boolean {
  const name = (error as Error).name;
  return statusOf(error) === 404 || name === 'NoSuchKey' || name === 'NotFound';
}
