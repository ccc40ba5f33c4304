/**
 * What a person may open: the (account, permission set) pairs assigned to any of their groups,
 * each once, sorted by account name then permission set. Group matching: see policy/group-names.ts.
 */
import type { Entitlement } from './api/contract.ts';
import type { Policy } from './policy/model.ts';
import { groupMatches } from './policy/group-names.ts';
import { selectAccounts } from './policy/selectors.ts';

export { selectAccounts, accountMatches, ouPathContains } from './policy/selectors.ts';
export { groupMatches } from './policy/group-names.ts';

export function resolveEntitlements(policy: Policy, groups: readonly string[]): Entitlement[] {
  const permissionSets = new Map(policy.permissionSets.map((set) => [set.name, set]));
  const found = new Map<string, Entitlement>();
  for (const assignment of policy.assignments) {
    if (!groupMatches(assignment.group, groups)) continue;
    const permissionSet = permissionSets.get(assignment.permissionSet);
    if (!permissionSet) continue;
    for (const account of selectAccounts(policy.accounts, assignment.accounts)) {
      const key = `${account.id}/${permissionSet.name}`;
      if (found.has(key)) continue;
      found.set(key, {
        accountId: account.id,
        accountName: account.name,
        ...(account.color !== undefined ? { color: account.color } : {}),
        regions: [...account.regions],
        permissionSet: permissionSet.name,
        ...(permissionSet.description !== undefined ? { description: permissionSet.description } : {}),
        sessionDurationSeconds: permissionSet.sessionDurationSeconds,
      });
    }
  }
  return [...found.values()].sort(compareEntitlements);
}

function compareEntitlements(a: Entitlement, b: Entitlement): number {
  return compareText(a.accountName, b.accountName) || compareText(a.permissionSet, b.permissionSet) || compareText(a.accountId, b.accountId);
}

function compareText(a: string, b: string): number {
  const folded = a.toLowerCase().localeCompare(b.toLowerCase(), 'en');
  return folded !== 0 ? folded : a < b ? -1 : a > b ? 1 : 0;
}
