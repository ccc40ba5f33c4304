/**
 * The request-rate quotas the simulated AWS enforces, each with the AWS page it comes from, and the
 * token bucket AWS describes for them: tokens are added at `rate` per second up to `burst`, a call
 * takes one, and a call that finds none is answered with the service's throttling error.
 */

export interface RateQuota {
  /** Tokens added per second. */
  rate: number;
  /** Most tokens the bucket holds (what may be spent in one second after a quiet spell). */
  burst: number;
  /** Where the figure comes from; `assumed` when AWS publishes none. */
  source: string;
  assumed?: true;
}

const ORGANIZATIONS_LIMITS = 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html#throttling-limits';

/**
 * STS answers AssumeRole at 600 requests per second per account and Region by default (the caller's
 * account: the management account, where the reconcile Lambda's role lives). AWS lists it among the STS
 * service quotas; the burst is not given, so the bucket holds one second's worth.
 */
export const STS_ASSUME_ROLE: RateQuota = { rate: 600, burst: 600, source: 'https://docs.aws.amazon.com/general/latest/gr/sts.html' };

/**
 * IAM throttles per account with token buckets (AWS Security Blog, "How to monitor and query IAM resources
 * at scale – Part 2"; the knowledge-center page on IAM "Rate exceeded"), but AWS publishes no figures.
 * These are an assumption, the same for every member account, kept above what the reconciler can send
 * one account (one call in flight per account: 25 calls a second at 40 ms each) so that a bench measures
 * Switchyard, not a guess. A test can tighten them to prove the retries.
 */
export const IAM_PER_ACCOUNT: RateQuota = {
  rate: 20,
  burst: 40,
  source: 'https://repost.aws/knowledge-center/iam-sts-throttling-error',
  assumed: true,
};

/** Organizations: per calling account and per organization, both must have a token (ORGANIZATIONS_LIMITS, "Organization management limits"). */
export const ORGANIZATIONS: Record<string, { perAccount: RateQuota; perOrganization?: RateQuota }> = {
  DescribeOrganization: { perAccount: { rate: 1, burst: 2, source: ORGANIZATIONS_LIMITS } },
  ListAccounts: {
    perAccount: { rate: 8, burst: 12, source: ORGANIZATIONS_LIMITS },
    perOrganization: { rate: 9, burst: 15, source: ORGANIZATIONS_LIMITS },
  },
  ListRoots: {
    perAccount: { rate: 1, burst: 2, source: ORGANIZATIONS_LIMITS },
    perOrganization: { rate: 1, burst: 3, source: ORGANIZATIONS_LIMITS },
  },
  ListAccountsForParent: {
    perAccount: { rate: 5, burst: 8, source: ORGANIZATIONS_LIMITS },
    perOrganization: { rate: 6, burst: 10, source: ORGANIZATIONS_LIMITS },
  },
  ListOrganizationalUnitsForParent: {
    perAccount: { rate: 5, burst: 8, source: ORGANIZATIONS_LIMITS },
    perOrganization: { rate: 6, burst: 10, source: ORGANIZATIONS_LIMITS },
  },
  ListTagsForResource: {
    perAccount: { rate: 10, burst: 15, source: ORGANIZATIONS_LIMITS },
    perOrganization: { rate: 12, burst: 18, source: ORGANIZATIONS_LIMITS },
  },
};

/** Organizations' list calls return at most 20 items a page (MaxResults 1-20 in the API reference of each). */
export const ORGANIZATIONS_MAX_RESULTS = 20;
/** IAM's GetAccountAuthorizationDetails and ListRoles return 100 items a page unless MaxItems says otherwise (up to 1,000). */
export const IAM_DEFAULT_MAX_ITEMS = 100;
export const IAM_MAX_ITEMS = 1000;
/** Roles in one account: 1,000 by default, 5,000 at most (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
export const IAM_ROLES_PER_ACCOUNT = 1000;
/** Managed policies attached to one role: 10 by default, 20 at most (same page). */
export const IAM_MANAGED_POLICIES_PER_ROLE = 10;

/** A token bucket on the simulator's clock (milliseconds). */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly quota: Pick<RateQuota, 'rate' | 'burst'>,
    now: number,
  ) {
    this.tokens = quota.burst;
    this.updatedAt = now;
  }

  /** Takes a token if there is one. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whether a token is there, without taking it. */
  has(now: number): boolean {
    this.refill(now);
    return this.tokens >= 1;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.quota.burst, this.tokens + elapsed * this.quota.rate);
    this.updatedAt = now;
  }
}

/** Buckets by key, made on first use. */
export class Buckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** Takes one token from every named bucket, or from none when one of them is empty. */
  take(wanted: { key: string; quota: Pick<RateQuota, 'rate' | 'burst'> }[]): boolean {
    const now = this.clock();
    const buckets = wanted.map(({ key, quota }) => this.bucket(key, quota, now));
    if (!buckets.every((bucket) => bucket.has(now))) return false;
    for (const bucket of buckets) bucket.take(now);
    return true;
  }

  private bucket(key: string, quota: Pick<RateQuota, 'rate' | 'burst'>, now: number): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(quota, now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
