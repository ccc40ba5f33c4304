/**
 * The policy as last applied by the reconciler, published as one JSON object in the policy bucket.
 * The API reads only this object: it needs no Organizations access, never sees a half-valid file
 * set, and lists an entitlement only once its role has been reconciled.
 */
import type { PolicyBucket } from '../bucket/policy-bucket.ts';
import type { Policy } from '../../shared/policy/model.ts';
import type { PolicySource } from './policy-source.ts';

/** No policy has been published yet: the API answers 503 until the first reconcile. */
export class NoPublishedPolicy extends Error {
  override readonly name = 'NoPublishedPolicy';
}

/**
 * Reads the published policy, re-checking at most every `maxAgeMs` with a conditional GET
 * (an unchanged object costs a 304 and no parsing).
 */
export function makePublishedPolicySource(options: {
  bucket: Pick<PolicyBucket, 'readPublishedPolicy' | 'location'>;
  maxAgeMs?: number;
  now?: () => number;
}): PolicySource {
  const maxAgeMs = options.maxAgeMs ?? 30_000;
  const now = options.now ?? Date.now;
  let cached: { policy: Policy; etag: string; checkedAt: number } | undefined;

  async function fetchPolicy(): Promise<Policy> {
    const answer = await options.bucket.readPublishedPolicy(cached?.etag);
    if (answer === 'not-modified' && cached) {
      cached.checkedAt = now();
      return cached.policy;
    }
    if (answer === undefined || answer === 'not-modified') {
      throw new NoPublishedPolicy(`no policy has been published to ${options.bucket.location} yet; push policy files first`);
    }
    cached = { policy: answer.policy, etag: answer.etag, checkedAt: now() };
    return answer.policy;
  }

  return {
    async current() {
      if (cached && now() - cached.checkedAt < maxAgeMs) return cached.policy;
      return fetchPolicy();
    },
  };
}
