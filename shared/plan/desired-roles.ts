/**
 * From the validated policy to the roles every account should have: one role per (account,
 * permission set) pair that some assignment grants or some eligibility entry offers on request (an
 * eligible pair's role exists all the time; only a grant lets the broker open it).
 */
import { MANAGED_ROLE_PATH, MANAGED_TAG_KEY, roleNameFor } from '../naming.ts';
import type { PermissionSet, Policy } from '../policy/model.ts';
import { selectAccounts } from '../policy/selectors.ts';
import type { DesiredRole } from './model.ts';
import { trustPolicyFor, type FederationTrust } from '../iam/trust-policy.ts';

/** Desired roles per account id; every inventory account has an entry (possibly empty). */
export function desiredRoles(policy: Policy, trust: FederationTrust): Map<string, DesiredRole[]> {
  const byAccount = new Map<string, DesiredRole[]>();
  for (const [accountId, sets] of assignedSets(policy))
    byAccount.set(
      accountId,
      sets.map((set) => desiredRole(accountId, set, trust)),
    );
  return byAccount;
}

/**
 * The permission sets each account should have a role for, by name; every inventory account has an
 * entry (possibly empty). What desiredRoles makes roles of, without making them: the reconciler makes
 * an account's roles when it plans that account, so 10,000 accounts x 10 sets of roles (each with its
 * own trust policy) are never all in memory at once.
 */
export function assignedSets(policy: Policy): Map<string, PermissionSet[]> {
  const sets = new Map(policy.permissionSets.map((set) => [set.name, set]));
  const pairs = new Map<string, Set<string>>(policy.accounts.map((account) => [account.id, new Set<string>()]));
  for (const entry of [...policy.assignments, ...policy.eligibility]) {
    if (!sets.has(entry.permissionSet)) continue; // the validator reports unknown permission sets
    for (const account of selectAccounts(policy.accounts, entry.accounts)) {
      pairs.get(account.id)?.add(entry.permissionSet);
    }
  }
  const byAccount = new Map<string, PermissionSet[]>();
  for (const [accountId, names] of pairs)
    byAccount.set(
      accountId,
      [...names].sort().map((name) => sets.get(name) as PermissionSet),
    );
  return byAccount;
}

export function desiredRole(accountId: string, set: PermissionSet, trust: FederationTrust): DesiredRole {
  return {
    accountId,
    permissionSet: set.name,
    roleName: roleNameFor(set.name),
    path: MANAGED_ROLE_PATH,
    description: set.description,
    maxSessionDuration: set.sessionDurationSeconds,
    trustPolicy: trustPolicyFor({ ...trust, accountId, permissionSet: set.name }),
    managedPolicyArns: [...new Set(set.managedPolicyArns)].sort(),
    inlinePolicy: set.inlinePolicy,
    permissionsBoundaryArn: set.permissionsBoundaryArn,
    tags: { ...set.tags, [MANAGED_TAG_KEY]: 'true' },
  };
}
