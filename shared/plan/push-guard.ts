/**
 * The deletion guard as a push sees it, before anything is uploaded: the roles the last applied
 * policy made (the published policy) against the roles the pushed policy wants. It needs no access
 * to member accounts, so an admin's push can refuse what the reconcile would refuse.
 */
import type { FederationTrust } from '../iam/trust-policy.ts';
import type { Policy } from '../policy/model.ts';
import { checkDeletionCounts, type DeletionGuardOptions, type DeletionGuardVerdict } from './deletion-guard.ts';
import { desiredRoles } from './desired-roles.ts';

export function deletionGuardForPush(
  applied: Policy | undefined,
  pushed: Policy,
  trust: FederationTrust,
  options: Omit<DeletionGuardOptions, 'allowMassDeletion'>,
): DeletionGuardVerdict {
  const roleKeys = (policy: Policy) =>
    new Set([...desiredRoles(policy, trust)].flatMap(([accountId, roles]) => roles.map((role) => `${accountId}/${role.roleName}`)));
  const before = applied ? roleKeys(applied) : new Set<string>();
  const after = roleKeys(pushed);
  const deletions = [...before].filter((key) => !after.has(key)).length;
  return checkDeletionCounts(deletions, before.size, { ...options, allowMassDeletion: pushed.allowMassDeletion ?? false });
}
