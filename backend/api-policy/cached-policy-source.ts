/**
 * The policy as last applied by the reconciler, with the pairs known to work, published as one JSON object
 * in the policy bucket (shared/plan/published-policy.ts). The API reads only this object: it needs no
 * Organizations access, never sees a half-valid file set, and offers a pair only once its role is in place.
 */
import type { PublishedPolicy } from '../../shared/plan/published-policy.ts';
import type { PolicyBucket } from '../bucket/policy-bucket.ts';
import { PolicyUnavailable, type PolicySource } from './policy-source.ts';
import { errorName } from '../../shared/error-text.ts';

/**
 * Reads the published policy, re-checking at most every `maxAgeMs` with a conditional GET (an unchanged
 * object costs a 304 and no parsing). A bucket that cannot be read is a PolicyUnavailable, even with a
 * cached copy: a revoked assignment must not live on while S3 fails.
 */
export function makePublishedPolicySource(options: {
  bucket: Pick<PolicyBucket, 'readPublishedPolicy' | 'location'>;
  maxAgeMs: number;
  now?: () => number;
}): PolicySource {
  const now = options.now ?? Date.now;
  let cached: { published: PublishedPolicy; etag: string; checkedAt: number } | undefined;

  async function fetchPolicy(): Promise<PublishedPolicy> {
    let answer: Awaited<ReturnType<PolicyBucket['readPublishedPolicy']>>;
    try {
      answer = await options.bucket.readPublishedPolicy(cached?.etag);
    } catch (error) {
      cached = undefined;
      // The store wraps the SDK's error; AWS's own code (AccessDenied, InternalError) is what says why.
      const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
      throw new PolicyUnavailable(`the policy bucket cannot be read right now (${errorName(cause)}); try again in a minute`, { cause: error });
    }
    if (answer === 'not-modified' && cached) {
      cached.checkedAt = now();
      return cached.published;
    }
    if (answer === undefined || answer === 'not-modified') {
      cached = undefined;
      throw new PolicyUnavailable('no policy has been published yet: an administrator has to push policy files first');
    }
    const { etag, ...published } = answer;
    cached = { published, etag, checkedAt: now() };
    return published;
  }

  return {
    async current() {
      if (cached && now() - cached.checkedAt < options.maxAgeMs) return cached.published;
      return fetchPolicy();
    },
  };
}
