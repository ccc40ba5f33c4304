import type { PublishedPolicy } from '../../shared/plan/published-policy.ts';

/** Where the API reads the current, validated policy and which of its pairs are known to work. */
export interface PolicySource {
  /** Throws PolicyUnavailable when there is none yet or it cannot be read. */
  current(): Promise<PublishedPolicy>;
}

/** No policy has been published yet, or the bucket cannot be read: the API answers 503 `policy_unavailable`. */
export class PolicyUnavailable extends Error {
  override readonly name = 'PolicyUnavailable';
}
