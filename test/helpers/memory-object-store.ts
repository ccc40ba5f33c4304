/**
 * An in-memory ObjectStore with S3's semantics for what the policy bucket uses: ETags, If-None-Match
 * and If-Match on put, If-Match on delete, 304 on a matching If-None-Match get, sorted listing.
 * `beforeGet` and `beforePut` let a test pause an actor at a chosen key to interleave another one.
 */
import { createHash } from 'node:crypto';
import { ConditionFailed, type ListedObject, type ObjectStore, type PutOptions, type StoredObject } from '../../backend/bucket/object-store.ts';

interface Entry {
  body: Uint8Array;
  etag: string;
  lastModified: Date;
}

export class MemoryObjectStore implements ObjectStore {
  readonly description = 'memory://bucket';
  readonly objects = new Map<string, Entry>();
  beforeGet: ((key: string) => Promise<void> | void) | undefined;
  beforePut: ((key: string) => Promise<void> | void) | undefined;
  now: () => Date = () => new Date();
  /** Every call, for tests that count or order them: "get key", "put key", ... */
  readonly calls: string[] = [];

  async get(key: string, options: { ifNoneMatch?: string } = {}): Promise<StoredObject | undefined | 'not-modified'> {
    this.calls.push(`get ${key}`);
    await this.beforeGet?.(key);
    const entry = this.objects.get(key);
    if (!entry) return undefined;
    if (options.ifNoneMatch !== undefined && options.ifNoneMatch === entry.etag) return 'not-modified';
    return { body: entry.body.slice(), etag: entry.etag };
  }

  async exists(key: string): Promise<boolean> {
    this.calls.push(`head ${key}`);
    return this.objects.has(key);
  }

  async put(key: string, body: string | Uint8Array, options: PutOptions = {}): Promise<string> {
    this.calls.push(`put ${key}`);
    await this.beforePut?.(key);
    const existing = this.objects.get(key);
    const condition = options.condition;
    if (condition && 'ifNoneMatch' in condition && existing) throw new ConditionFailed(`${key} exists`);
    if (condition && 'ifMatch' in condition && existing?.etag !== condition.ifMatch) throw new ConditionFailed(`${key} changed`);
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body.slice();
    const etag = `"${createHash('md5').update(bytes).update(String(Math.random())).digest('hex')}"`;
    this.objects.set(key, { body: bytes, etag, lastModified: this.now() });
    return etag;
  }

  async delete(key: string, options: { ifMatch?: string } = {}): Promise<void> {
    this.calls.push(`delete ${key}`);
    const existing = this.objects.get(key);
    if (options.ifMatch !== undefined && existing && existing.etag !== options.ifMatch) throw new ConditionFailed(`${key} changed`);
    this.objects.delete(key);
  }

  async list(prefix: string): Promise<ListedObject[]> {
    this.calls.push(`list ${prefix}`);
    return [...this.objects]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, entry]) => ({ key, etag: entry.etag, size: entry.body.length, lastModified: entry.lastModified }));
  }

  text(key: string): string | undefined {
    const entry = this.objects.get(key);
    return entry ? new TextDecoder().decode(entry.body) : undefined;
  }
}
