/**
 * The API's one view of the policy bucket: the published policy, read-only. Separate from
 * PolicyBucket so the API Lambda's bundle carries no code that writes, lists or deletes objects,
 * and its role is granted s3:GetObject on that one key alone.
 */
import { parsePublishedPolicy, type PublishedPolicy } from '../../shared/plan/published-policy.ts';
import { bucketLayout } from './layout.ts';
import { BucketContentError, type ObjectStore } from './object-store.ts';

export class PublishedPolicyReader {
  readonly location: string;
  private readonly key: string;

  constructor(
    private readonly store: Pick<ObjectStore, 'get' | 'description'>,
    prefix = '',
  ) {
    const layout = bucketLayout(prefix);
    this.key = layout.publishedPolicy;
    this.location = `${store.description}/${layout.prefix}`;
  }

  /** The published policy; `'not-modified'` when its ETag is still `ifNoneMatch`; undefined when none is published. */
  async readPublishedPolicy(ifNoneMatch?: string): Promise<(PublishedPolicy & { etag: string }) | 'not-modified' | undefined> {
    const object = await this.store.get(this.key, { ifNoneMatch });
    if (object === undefined || object === 'not-modified') return object;
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8').decode(object.body));
    } catch {
      throw new BucketContentError(`${this.store.description}/${this.key} is not valid JSON`);
    }
    const parsed = parsePublishedPolicy(json);
    if (!parsed.ok) throw new BucketContentError(`${this.store.description}/${this.key} is ${parsed.error}`);
    return { ...parsed.published, etag: object.etag };
  }
}
