/** Policy lengths as IAM counts them against its quotas. */
import { maxTrustPolicyLength } from '../plan/trust-policy.ts';

/**
 * Worst-case length (any identity pool, any account) of the trust policy the reconciler writes for
 * a permission set's role; the reconciler's own builder, so the two never disagree.
 */
export function estimateTrustPolicyLength(permissionSet: string): number {
  return maxTrustPolicyLength(permissionSet);
}

/** IAM counts policy size without white space; minified JSON is that count. */
export function policyLength(document: unknown): number {
  return JSON.stringify(document).length;
}
