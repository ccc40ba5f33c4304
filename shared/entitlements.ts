/**
 * What a person may open: the (account, permission set) pairs assigned to any of their groups (standing),
 * and those an eligibility entry lets them ask for (marked `eligible`), each once, in display order
 * (compareEntitlements). A pair both standing and eligible is standing. Group matching: see
 * policy/group-names.ts. With an availability (plan/availability.ts), only the pairs whose role is known
 * to be in place.
 */
import type { Eligible, Entitlement } from './api/entitlements.ts';
import { isAvailable, type Availability } from './plan/availability.ts';
import type { Account, Eligibility, PermissionSet, Policy } from './policy/model.ts';
import { groupMatches } from './policy/group-names.ts';
import { selectAccounts, selectorMatcher } from './policy/selectors.ts';

export function resolveEntitlements(policy: Policy, groups: readonly string[], available?: Availability): Entitlement[] {
  const assigned = assignedEntitlements(policy, groups);
  return available === undefined ? assigned : assigned.filter((e) => isAvailable(available, e.accountId, e.permissionSet));
}

/** One pair for a person: not assigned; assigned but its role not in place; or assigned and available. */
export type EntitlementStatus =
  { kind: 'not-assigned' } | { kind: 'unavailable'; entitlement: Entitlement } | { kind: 'available'; entitlement: Entitlement };

export function entitlementStatus(
  policy: Policy,
  groups: readonly string[],
  available: Availability | undefined,
  target: { accountId: string; permissionSet: string },
): EntitlementStatus {
  const entitlement = assignedEntitlements(policy, groups).find(
    (candidate) => candidate.accountId === target.accountId && candidate.permissionSet === target.permissionSet,
  );
  if (!entitlement) return { kind: 'not-assigned' };
  return isAvailable(available, entitlement.accountId, entitlement.permissionSet)
    ? { kind: 'available', entitlement }
    : { kind: 'unavailable', entitlement };
}

function assignedEntitlements(policy: Policy, groups: readonly string[]): Entitlement[] {
  const permissionSets = new Map(policy.permissionSets.map((set) => [set.name, set]));
  const found = new Map<string, Entitlement>();
  for (const assignment of policy.assignments) {
    if (!groupMatches(assignment.group, groups)) continue;
    const permissionSet = permissionSets.get(assignment.permissionSet);
    if (!permissionSet) continue;
    for (const account of selectAccounts(policy.accounts, assignment.accounts)) {
      const key = `${account.id}/${permissionSet.name}`;
      if (!found.has(key)) found.set(key, entitlementOf(account, permissionSet));
    }
  }
  // Eligible pairs after every standing one: a pair both standing and eligible is standing. The first entry
  // that names one of the person's groups sets the rule (docs/policy-files.md, eligibility).
  for (const entry of policy.eligibility) {
    if (!groupMatches(entry.group, groups)) continue;
    const permissionSet = permissionSets.get(entry.permissionSet);
    if (!permissionSet) continue;
    for (const account of selectAccounts(policy.accounts, entry.accounts)) {
      const key = `${account.id}/${permissionSet.name}`;
      if (!found.has(key)) found.set(key, { ...entitlementOf(account, permissionSet), eligible: eligibleOf(entry) });
    }
  }
  return [...found.values()].sort(compareEntitlements);
}

/**
 * The eligibility entry that governs a person's requests for a pair: the first entry naming one of their
 * groups and selecting the pair; undefined when none does, or when the pair is theirs standing anyway.
 */
export function eligibilityFor(
  policy: Policy,
  groups: readonly string[],
  target: { accountId: string; permissionSet: string },
): Eligibility | undefined {
  const account = policy.accounts.find((candidate) => candidate.id === target.accountId);
  if (!account) return undefined;
  const selects = (entry: { group: string; permissionSet: string; accounts: Policy['assignments'][number]['accounts'] }) =>
    entry.permissionSet === target.permissionSet && groupMatches(entry.group, groups) && selectorMatcher(entry.accounts)(account);
  if (policy.assignments.some(selects)) return undefined;
  return policy.eligibility.find(selects);
}

function entitlementOf(account: Account, permissionSet: PermissionSet): Entitlement {
  return {
    accountId: account.id,
    accountName: account.name,
    ...(account.color !== undefined ? { color: account.color } : {}),
    regions: [...account.regions],
    permissionSet: permissionSet.name,
    ...(permissionSet.description !== undefined ? { description: permissionSet.description } : {}),
    sessionDurationSeconds: permissionSet.sessionDurationSeconds,
    ...(Object.keys(account.tags).length > 0 ? { tags: { ...account.tags } } : {}),
    ...(account.ouPath !== undefined ? { ouPath: account.ouPath } : {}),
    ...(permissionSet.consoleOnly ? { consoleOnly: true } : {}),
  };
}

/** What a requester sees of an eligibility entry. */
export function eligibleOf(entry: Eligibility): Eligible {
  return {
    maxDurationSeconds: entry.maxDurationSeconds,
    defaultDurationSeconds: entry.defaultDurationSeconds,
    justification: { ...entry.justification },
    approval: entry.approval.kind === 'none' ? { kind: 'none' } : { ...entry.approval, groups: [...entry.approval.groups] },
    pendingExpirySeconds: entry.pendingExpirySeconds,
    extensions: { ...entry.extensions },
  };
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Display order: account name, then account id (keeps same-named accounts apart), then permission set. */
export function compareEntitlements(a: Entitlement, b: Entitlement): number {
  return (
    collator.compare(a.accountName, b.accountName) || collator.compare(a.accountId, b.accountId) || collator.compare(a.permissionSet, b.permissionSet)
  );
}
