/**
 * The policy the reconciler publishes for the API (bucket key: layout.ts publishedPolicy): the applied
 * policy, and which (account, permission set) pairs are known to work (availability.ts). Version 1 was the
 * bare policy; it is still read, as "every pair available", until the next reconcile republishes it.
 */
import { z } from 'zod';
import type { Policy } from '../policy/model.ts';
import type { Availability } from './availability.ts';

export interface PublishedPolicy {
  policy: Policy;
  /** Undefined for a version-1 publication: every pair counts as available. */
  available?: Availability;
  /** The generation of policy files the run applied. */
  generation?: string;
  runId?: string;
  publishedAt?: string;
}

const PolicyShape = z.looseObject({ accounts: z.array(z.unknown()), permissionSets: z.array(z.unknown()), assignments: z.array(z.unknown()) });

const VersionTwo = z.object({
  version: z.literal(2),
  publishedAt: z.string(),
  generation: z.string().optional(),
  runId: z.string().optional(),
  policy: PolicyShape,
  available: z.record(z.string().regex(/^\d{12}$/), z.array(z.string())),
});

export function serializePublishedPolicy(published: PublishedPolicy & { available: Availability; publishedAt: string }): string {
  return JSON.stringify({
    version: 2,
    publishedAt: published.publishedAt,
    ...(published.generation ? { generation: published.generation } : {}),
    ...(published.runId ? { runId: published.runId } : {}),
    available: published.available,
    policy: published.policy,
  });
}

/** Reads a published object (already JSON-parsed); the error names what is wrong, never quoting content. */
export function parsePublishedPolicy(json: unknown): { ok: true; published: PublishedPolicy } | { ok: false; error: string } {
  if (typeof json === 'object' && json !== null && 'version' in json) {
    const result = VersionTwo.safeParse(json);
    if (!result.success) {
      const issue = result.error.issues[0];
      return { ok: false, error: `not a valid published policy (${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'})` };
    }
    const { policy, available, generation, runId, publishedAt } = result.data;
    return {
      ok: true,
      published: { policy: withEligibility(policy), available, publishedAt, ...(generation ? { generation } : {}), ...(runId ? { runId } : {}) },
    };
  }
  const legacy = PolicyShape.safeParse(json);
  if (!legacy.success) return { ok: false, error: 'not a published policy (neither version 2 nor a bare policy)' };
  return { ok: true, published: { policy: withEligibility(legacy.data) } };
}

/** A policy published before eligibility existed offers nobody anything on request. */
function withEligibility(policy: Record<string, unknown>): Policy {
  return { ...policy, eligibility: Array.isArray(policy.eligibility) ? policy.eligibility : [] } as unknown as Policy;
}
