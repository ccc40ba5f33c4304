/**
 * Who gains and who loses access: the (group, account, permission set) grants of two policies and
 * the difference between them. A grant counts only when its permission set exists and its account
 * is in the inventory, as for the roles (desired-roles.ts). Groups are compared by groupKey, so a
 * group only respelled (case, DN escapes) is neither gained nor lost.
 */
import { groupKey } from '../policy/group-names.ts';
import type { Policy } from '../policy/model.ts';
import { selectorMatcher } from '../policy/selectors.ts';
import { pairKey } from '../policy/pair.ts';

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
  return sortGrants([...keyedGrants(policy).values()]);
}

/** Grants `after` has and `before` has not (added), and the reverse (removed); no `before` means nothing was granted. */
export function accessChanges(before: Policy | undefined, after: Policy): AccessChanges {
  const old = before ? keyedGrants(before) : new Map<string, AccessGrant>();
  const now = keyedGrants(after);
  return {
    added: sortGrants([...now].filter(([key]) => !old.has(key)).map(([, grant]) => grant)),
    removed: sortGrants([...old].filter(([key]) => !now.has(key)).map(([, grant]) => grant)),
  };
}

/** The grants by key (the group's key, the account, the permission set); each assignment's group key is computed once, not per account. */
function keyedGrants(policy: Policy): Map<string, AccessGrant> {
  const sets = new Set(policy.permissionSets.map((set) => set.name));
  const grants = new Map<string, AccessGrant>();
  for (const assignment of policy.assignments) {
    if (!sets.has(assignment.permissionSet)) continue;
    const matches = selectorMatcher(assignment.accounts);
    const group = groupKey(assignment.group);
    for (const account of policy.accounts) {
      if (!matches(account)) continue;
      const key = `${group}\u0000${account.id}\u0000${assignment.permissionSet}`;
      if (!grants.has(key)) grants.set(key, { group: assignment.group, accountId: account.id, permissionSet: assignment.permissionSet });
    }
  }
  return grants;
}

/**
 * The groups whose members can gain or lose something: every group that grants, before or after,
 * an (account, permission set) pair some changed grant names. A person who loses a pair through one
 * group may keep it through another, so those groups matter too.
 */
export function groupsAffected(before: Policy | undefined, after: Policy, changes: AccessChanges): string[] {
  const pairs = new Set([...changes.added, ...changes.removed].map(pairKey));
  const groups = new Map<string, string>();
  for (const [key, grant] of [...(before ? keyedGrants(before) : []), ...keyedGrants(after)]) {
    const group = key.slice(0, key.indexOf('\u0000'));
    if (pairs.has(pairKey(grant)) && !groups.has(group)) groups.set(group, grant.group);
  }
  return [...groups.values()].sort(compareText);
}

function sortGrants(grants: AccessGrant[]): AccessGrant[] {
  return grants.sort(
    (a, b) => compareText(a.permissionSet, b.permissionSet) || compareText(a.group, b.group) || compareText(a.accountId, b.accountId),
  );
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
