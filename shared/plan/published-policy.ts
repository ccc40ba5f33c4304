/**
 * The policy the reconciler publishes for the API (bucket key: layout.ts publishedPolicy): the applied
 * policy, and which (account, permission set) pairs are known to work (availability.ts). Version 1 was the
 * bare policy; it is still read, as "every pair available", until the next reconcile republishes it.
 */
import { z } from 'zod';
import { compareAccounts } from '../policy/account-order.ts';
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

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Account id -> permission set names, checked by a loop rather than z.record: an organization of 10,000
 * accounts publishes 100,000 names, zod's record takes about a microsecond each, and the API reads the
 * object on every cold start (docs/scale.md).
 */
const AvailabilitySchema = z.unknown().superRefine((value, context) => {
  const fail = (message: string, path: string[] = []) => context.addIssue({ code: 'custom', message, path });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('expected an object of account ids');
  for (const [accountId, names] of Object.entries(value)) {
    if (!ACCOUNT_ID.test(accountId)) return fail('expected a 12-digit account id as the key', [accountId]);
    if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
      return fail('expected a list of permission set names', [accountId]);
    }
  }
});

const VersionTwo = z.object({
  version: z.literal(2),
  publishedAt: z.string(),
  generation: z.string().optional(),
  runId: z.string().optional(),
  policy: PolicyShape,
  available: AvailabilitySchema,
});

/** The policy as the reconciler publishes it: accounts in display order, so an API cold start checks the order instead of sorting 10,000 accounts. */
export function inPublishedOrder(policy: Policy): Policy {
  return { ...policy, accounts: [...policy.accounts].sort(compareAccounts) };
}

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
      published: {
        policy: withEligibility(policy),
        available: available as Availability,
        publishedAt,
        ...(generation ? { generation } : {}),
        ...(runId ? { runId } : {}),
      },
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
