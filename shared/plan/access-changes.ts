/**
 * Who gains and who loses access: the (group, account, permission set) grants of two policies and
 * the difference between them. A grant counts only when its permission set exists and its account
 * is in the inventory, as for the roles (desired-roles.ts). Groups are compared by groupKey, so a
 * group only respelled (case, DN escapes) is neither gained nor lost.
 */
import { groupKey } from '../policy/group-names.ts';
import type { Policy } from '../policy/model.ts';
import { selectorMatcher } from '../policy/selectors.ts';

export interface AccessGrant {
  /** The group as the assignment names it. */
  group: string;
  accountId: string;
  permissionSet: string;
}

export interface AccessChanges {
  added: AccessGrant[];
  removed: AccessGrant[];
}

/** Every grant of a policy, each once, sorted by permission set, group and account. */
export function accessGrants(policy: Policy): AccessGrant[] {
  const sets = new Set(policy.permissionSets.map((set) => set.name));
  const grants = new Map<string, AccessGrant>();
  for (const assignment of policy.assignments) {
    if (!sets.has(assignment.permissionSet)) continue;
    const matches = selectorMatcher(assignment.accounts);
    for (const account of policy.accounts) {
      if (!matches(account)) continue;
      const grant = { group: assignment.group, accountId: account.id, permissionSet: assignment.permissionSet };
      const key = grantKey(grant);
      if (!grants.has(key)) grants.set(key, grant);
    }
  }
  return sortGrants([...grants.values()]);
}

/** Grants `after` has and `before` has not (added), and the reverse (removed); no `before` means nothing was granted. */
export function accessChanges(before: Policy | undefined, after: Policy): AccessChanges {
  const old = new Map((before ? accessGrants(before) : []).map((grant) => [grantKey(grant), grant]));
  const now = new Map(accessGrants(after).map((grant) => [grantKey(grant), grant]));
  return {
    added: [...now].filter(([key]) => !old.has(key)).map(([, grant]) => grant),
    removed: [...old].filter(([key]) => !now.has(key)).map(([, grant]) => grant),
  };
}

/**
 * The groups whose members can gain or lose something: every group that grants, before or after,
 * an (account, permission set) pair some changed grant names. A person who loses a pair through one
 * group may keep it through another, so those groups matter too.
 */
export function groupsAffected(before: Policy | undefined, after: Policy, changes: AccessChanges): string[] {
  const pairs = new Set([...changes.added, ...changes.removed].map(pairKey));
  const groups = new Map<string, string>();
  for (const grant of [...(before ? accessGrants(before) : []), ...accessGrants(after)]) {
    if (pairs.has(pairKey(grant)) && !groups.has(groupKey(grant.group))) groups.set(groupKey(grant.group), grant.group);
  }
  return [...groups.values()].sort(compareText);
}

export function grantKey(grant: AccessGrant): string {
  return `${groupKey(grant.group)}\u0000${grant.accountId}\u0000${grant.permissionSet}`;
}

export function pairKey(grant: Pick<AccessGrant, 'accountId' | 'permissionSet'>): string {
  return `${grant.accountId}\u0000${grant.permissionSet}`;
}

function sortGrants(grants: AccessGrant[]): AccessGrant[] {
  return grants.sort(
    (a, b) => compareText(a.permissionSet, b.permissionSet) || compareText(a.group, b.group) || compareText(a.accountId, b.accountId),
  );
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
