/**
 * From the validated policy to the roles every account should have: one role per (account,
 * permission set) pair that some assignment grants or some eligibility entry offers on request (an
 * eligible pair's role exists all the time; only a grant lets the broker open it).
 */
import { MANAGED_ROLE_PATH, MANAGED_TAG_KEY, roleNameFor } from '../naming.ts';
import type { PermissionSet, Policy } from '../policy/model.ts';
import { selectAccounts } from '../policy/selectors.ts';
import type { DesiredRole } from './model.ts';
import { trustPolicyFor } from '../iam/trust-policy.ts';

/** Desired roles per account id; every inventory account has an entry (possibly empty). */
export function desiredRoles(policy: Policy, identityPoolId: string): Map<string, DesiredRole[]> {
  const sets = new Map(policy.permissionSets.map((set) => [set.name, set]));
  const pairs = new Map<string, Set<string>>(policy.accounts.map((account) => [account.id, new Set<string>()]));
  for (const entry of [...policy.assignments, ...policy.eligibility]) {
    if (!sets.has(entry.permissionSet)) continue; // the validator reports unknown permission sets
    for (const account of selectAccounts(policy.accounts, entry.accounts)) {
      pairs.get(account.id)?.add(entry.permissionSet);
    }
  }
  const byAccount = new Map<string, DesiredRole[]>();
  for (const [accountId, names] of pairs) {
    const roles = [...names].sort().map((name) => desiredRole(accountId, sets.get(name) as PermissionSet, identityPoolId));
    byAccount.set(accountId, roles);
  }
  return byAccount;
}

export function desiredRole(accountId: string, set: PermissionSet, identityPoolId: string): DesiredRole {
  return {
    accountId,
    permissionSet: set.name,
    roleName: roleNameFor(set.name),
    path: MANAGED_ROLE_PATH,
    description: set.description,
    maxSessionDuration: set.sessionDurationSeconds,
    trustPolicy: trustPolicyFor({ identityPoolId, accountId, permissionSet: set.name }),
    managedPolicyArns: [...new Set(set.managedPolicyArns)].sort(),
    inlinePolicy: set.inlinePolicy,
    permissionsBoundaryArn: set.permissionsBoundaryArn,
    tags: { ...set.tags, [MANAGED_TAG_KEY]: 'true' },
  };
}
