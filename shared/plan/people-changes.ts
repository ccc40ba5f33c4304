/**
 * Who gains and who loses access, as people: the groups' members (from the directory) each get the
 * (account, permission set) pairs their groups grant, before and after; a person gains a pair no
 * group of theirs granted before, and loses one none grants after. A person who keeps a pair through
 * another group neither gains nor loses it.
 */
import { groupKey } from '../policy/group-names.ts';
import type { Policy } from '../policy/model.ts';
import { accessGrants, compareText, type AccessGrant } from './access-changes.ts';
import { pairKey } from '../policy/pair.ts';

/** A person as a directory lists a group's members. */
export interface GroupMember {
  /** The same id sign-in gives them: the user principal name, or the user pool's `sub`. */
  id: string;
  displayName: string;
}

export interface PersonAccessChange {
  id: string;
  displayName: string;
  accountId: string;
  permissionSet: string;
  /** The groups that grant the pair (after, for a gain) or granted it (before, for a loss). */
  groups: string[];
}

export interface PeopleChanges {
  gains: PersonAccessChange[];
  losses: PersonAccessChange[];
}

/** `members`: each group as an assignment names it -> its members (nested groups included where the directory nests). */
export function peopleChanges(before: Policy | undefined, after: Policy, members: ReadonlyMap<string, readonly GroupMember[]>): PeopleChanges {
  const people = new Map<string, { member: GroupMember; groups: Set<string> }>();
  for (const [group, list] of members) {
    for (const member of list) {
      const entry = people.get(member.id) ?? { member, groups: new Set<string>() };
      entry.groups.add(groupKey(group));
      people.set(member.id, entry);
    }
  }
  const old = grantsByGroup(before ? accessGrants(before) : []);
  const now = grantsByGroup(accessGrants(after));
  const gains: PersonAccessChange[] = [];
  const losses: PersonAccessChange[] = [];
  for (const { member, groups } of people.values()) {
    const had = pairsOf(groups, old);
    const has = pairsOf(groups, now);
    for (const [key, pair] of has) if (!had.has(key)) gains.push(change(member, pair));
    for (const [key, pair] of had) if (!has.has(key)) losses.push(change(member, pair));
  }
  return { gains: sortChanges(gains), losses: sortChanges(losses) };
}

type Pair = { accountId: string; permissionSet: string; groups: string[] };

function grantsByGroup(grants: AccessGrant[]): Map<string, AccessGrant[]> {
  const byGroup = new Map<string, AccessGrant[]>();
  const keys = new Map<string, string>();
  for (const grant of grants) {
    const key = keys.get(grant.group) ?? groupKey(grant.group);
    keys.set(grant.group, key);
    const list = byGroup.get(key) ?? [];
    list.push(grant);
    byGroup.set(key, list);
  }
  return byGroup;
}

function pairsOf(groups: ReadonlySet<string>, byGroup: ReadonlyMap<string, AccessGrant[]>): Map<string, Pair> {
  const pairs = new Map<string, Pair>();
  for (const group of groups) {
    for (const grant of byGroup.get(group) ?? []) {
      const key = pairKey(grant);
      const pair = pairs.get(key) ?? { accountId: grant.accountId, permissionSet: grant.permissionSet, groups: [] };
      pair.groups.push(grant.group);
      pairs.set(key, pair);
    }
  }
  return pairs;
}

function change(member: GroupMember, pair: Pair): PersonAccessChange {
  return {
    id: member.id,
    displayName: member.displayName,
    accountId: pair.accountId,
    permissionSet: pair.permissionSet,
    groups: [...pair.groups].sort(compareText),
  };
}

function sortChanges(changes: PersonAccessChange[]): PersonAccessChange[] {
  return changes.sort((a, b) => compareText(a.id, b.id) || compareText(a.permissionSet, b.permissionSet) || compareText(a.accountId, b.accountId));
}
