/**
 * From the validated policy to the roles every account should have: one role per (account,
 * permission set) pair that some assignment grants.
 */
import { MANAGED_ROLE_PATH, MANAGED_TAG_KEY, roleNameFor } from '../naming.ts';
import type { PermissionSet, Policy } from '../policy/model.ts';
import { selectAccounts } from '../policy/selectors.ts';
import type { DesiredRole } from './model.ts';
import { trustPolicyFor, type FederationTrust } from '../iam/trust-policy.ts';

/** Desired roles per account id; every inventory account has an entry (possibly empty). */
export function desiredRoles(policy: Policy, trust: FederationTrust): Map<string, DesiredRole[]> {
  const sets = new Map(policy.permissionSets.map((set) => [set.name, set]));
  const pairs = new Map<string, Set<string>>(policy.accounts.map((account) => [account.id, new Set<string>()]));
  for (const assignment of policy.assignments) {
    if (!sets.has(assignment.permissionSet)) continue; // the validator reports unknown permission sets
    for (const account of selectAccounts(policy.accounts, assignment.accounts)) {
      pairs.get(account.id)?.add(assignment.permissionSet);
    }
  }
  const byAccount = new Map<string, DesiredRole[]>();
  for (const [accountId, names] of pairs) {
    const roles = [...names].sort().map((name) => desiredRole(accountId, sets.get(name) as PermissionSet, trust));
    byAccount.set(accountId, roles);
  }
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
