/**
 * Serializes reconcile runs with a lock object in the policy bucket, created by a conditional put
 * (If-None-Match: *) so only one run can hold it. A lock older than its expiry is taken over with
 * If-Match on its ETag (so two runs cannot both take it over). A run that finds the lock held
 * leaves a rerun request; the holder sees it and runs again on the latest commit before letting
 * go, so the last push always wins.
 */
import { ConditionFailed, type ObjectStore } from './object-store.ts';

export interface LockRecord {
  owner: string;
  acquiredAt: string;
  expiresAt: string;
}

export interface BucketLockOptions {
  store: ObjectStore;
  lockKey: string;
  rerunKey: string;
  /** How long a lock is honoured; past it, the holder is presumed dead. */
  ttlMs: number;
  now?: () => number;
}

/** Reads and conditional writes a lock extension tries before it concludes the lock is contested. */
const EXTEND_ATTEMPTS = 5;

export class BucketLock {
  private etag: string | undefined;
  private readonly now: () => number;

  constructor(private readonly options: BucketLockOptions) {
    this.now = options.now ?? Date.now;
  }

  /** True when this owner now holds the lock. */
  async tryAcquire(owner: string): Promise<boolean> {
    try {
      this.etag = await this.put(owner, { ifNoneMatch: '*' });
      return true;
    } catch (error) {
      if (!(error instanceof ConditionFailed)) throw error;
    }
    const current = await this.read();
    if (current && Date.parse(current.record.expiresAt) > this.now()) return false;
    try {
      // Stale (or gone since): take it over only if it is still the object we just read.
      this.etag = await this.put(owner, current ? { ifMatch: current.etag } : { ifNoneMatch: '*' });
      return true;
    } catch (error) {
      if (error instanceof ConditionFailed) return false;
      throw error;
    }
  }

  async release(): Promise<void> {
    if (!this.etag) return;
    try {
      await this.options.store.delete(this.options.lockKey, { ifMatch: this.etag });
    } catch (error) {
      // Someone took over an expired lock of ours: it is theirs now.
      if (!(error instanceof ConditionFailed)) throw error;
    } finally {
      this.etag = undefined;
    }
  }

  /**
   * A run split into batches (shared/plan/batches.ts) keeps the lock from invocation to invocation by its
   * owner's name: each batch extends it by the TTL from now, so long as it is still that owner's (expired
   * or not: a lock nobody took over is still the run's). False when another run holds it now.
   */
  async extendFor(owner: string): Promise<boolean> {
    // Batches of one run extend it at once: losing that race to a sibling is no reason to give up.
    for (let attempt = 0; attempt < EXTEND_ATTEMPTS; attempt++) {
      const current = await this.read();
      if (current?.record.owner !== owner) return false;
      try {
        this.etag = await this.put(owner, { ifMatch: current.etag });
        return true;
      } catch (error) {
        if (!(error instanceof ConditionFailed)) throw error;
      }
    }
    return false;
  }

  /** The batch that makes a split run whole lets go of the lock its run took, if it is still the run's. */
  async releaseFor(owner: string): Promise<void> {
    const current = await this.read();
    if (current?.record.owner !== owner) return;
    this.etag = current.etag;
    await this.release();
  }

  async requestRerun(owner: string): Promise<void> {
    const body = JSON.stringify({ requestedBy: owner, at: new Date(this.now()).toISOString() });
    await this.options.store.put(this.options.rerunKey, body, { contentType: 'application/json' });
  }

  async rerunRequested(): Promise<boolean> {
    return this.options.store.exists(this.options.rerunKey);
  }

  /** Called before reading the files: the run about to start satisfies every request made so far. */
  async clearRerunRequest(): Promise<void> {
    await this.options.store.delete(this.options.rerunKey);
  }

  private async put(owner: string, condition: { ifNoneMatch: '*' } | { ifMatch: string }): Promise<string> {
    const now = this.now();
    const record: LockRecord = {
      owner,
      acquiredAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.options.ttlMs).toISOString(),
    };
    return this.options.store.put(this.options.lockKey, JSON.stringify(record), { contentType: 'application/json', condition });
  }

  private async read(): Promise<{ record: LockRecord; etag: string } | undefined> {
    const object = await this.options.store.get(this.options.lockKey);
    if (object === undefined || object === 'not-modified') return undefined;
    let record: LockRecord;
    try {
      record = JSON.parse(new TextDecoder().decode(object.body)) as LockRecord;
    } catch {
      record = { owner: 'unknown', acquiredAt: '', expiresAt: new Date(0).toISOString() }; // unreadable: treat as stale
    }
    return { record, etag: object.etag };
  }
}
