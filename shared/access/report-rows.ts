/**
 * The access review's rows: one per (person, account, permission set, route), from the published
 * policy, the directory's routes into each assigned group, and each person's last uses. Pure: the
 * caller reads the directory and the state table and streams the rows out as they come, person by person.
 */
import { isAvailable, type Availability } from '../plan/availability.ts';
import type { Account, Eligibility, PermissionSet, Policy } from '../policy/model.ts';
import { selectAccounts } from '../policy/selectors.ts';
import { pairKey } from '../policy/pair.ts';

/** One person's way into a group, as the directory names it. */
export interface ReviewRoute {
  id: string;
  displayName: string;
  email?: string;
  enabled: boolean;
  groupDn: string;
  chain: string[];
}

export interface PairTimes {
  console?: string;
  cli?: string;
}

export interface AccessRow {
  personId: string;
  displayName: string;
  email: string;
  enabled: boolean;
  /** The group as the policy's assignment names it. */
  group: string;
  groupDn: string;
  membership: 'direct' | 'nested';
  /** The nested groups from `groupDn` down to the person's own, outermost first. */
  chain: string[];
  accountId: string;
  accountName: string;
  ouPath: string;
  accountTags: Record<string, string>;
  permissionSet: string;
  roleArn: string;
  sessionSeconds: number;
  managedPolicyArns: string[];
  inlinePolicySha256: string;
  permissionsBoundary: string;
  /** `standing`: the group grants the pair; `eligible`: the group may ask for it (eligibility), under `approvalRule`. */
  kind: 'standing' | 'eligible';
  /** For an eligible pair, its rule in words: who approves, how long a grant may last, the entry it comes from. */
  approvalRule: string;
  lastConsoleUse: string;
  lastCliUse: string;
  /** Neither channel used within the review's unused window. */
  unused: boolean;
  reviewer: string;
  decision: string;
  comment: string;
}

export interface Pair {
  account: Account;
  permissionSet: PermissionSet;
  /** Set when the group may only ask for the pair (eligibility): the entry that says so. */
  eligibility?: Eligibility;
}

export interface RowContext {
  policy: Policy;
  available?: Availability;
  roleArn: (accountId: string, permissionSet: string) => string;
  /** SHA-256 (hex) of each permission set's inline policy, by permission set name. */
  inlinePolicySha256: ReadonlyMap<string, string>;
  /** Uses older than this (ISO 8601) count as unused. */
  unusedBefore: string;
}

/** The groups assignments and eligibility entries name, each once, in policy order. */
export function assignedGroups(policy: Policy): string[] {
  return [...new Set([...policy.assignments, ...policy.eligibility].map((entry) => entry.group))];
}

/** Each group the policy names -> the pairs it grants or may ask for whose role is in place, each once, in account then permission set order. */
export function pairsByGroup(policy: Policy, available?: Availability): Map<string, Pair[]> {
  const sets = new Map(policy.permissionSets.map((set) => [set.name, set]));
  const byGroup = new Map<string, Map<string, Pair>>();
  for (const assignment of policy.assignments) {
    const permissionSet = sets.get(assignment.permissionSet);
    if (!permissionSet) continue;
    const pairs = byGroup.get(assignment.group) ?? new Map<string, Pair>();
    for (const account of selectAccounts(policy.accounts, assignment.accounts)) {
      if (available !== undefined && !isAvailable(available, account.id, permissionSet.name)) continue;
      pairs.set(`${account.id}/${permissionSet.name}`, { account, permissionSet });
    }
    byGroup.set(assignment.group, pairs);
  }
  // A group that may ask for a pair it is not granted: the first eligibility entry selecting it sets the rule.
  for (const entry of policy.eligibility) {
    const permissionSet = sets.get(entry.permissionSet);
    if (!permissionSet) continue;
    const pairs = byGroup.get(entry.group) ?? new Map<string, Pair>();
    for (const account of selectAccounts(policy.accounts, entry.accounts)) {
      const key = `${account.id}/${permissionSet.name}`;
      if (pairs.has(key) || (available !== undefined && !isAvailable(available, account.id, permissionSet.name))) continue;
      pairs.set(key, { account, permissionSet, eligibility: entry });
    }
    byGroup.set(entry.group, pairs);
  }
  return new Map(
    [...byGroup].map(([group, pairs]) => [
      group,
      [...pairs.values()].sort((a, b) => compare(a.account.id, b.account.id) || compare(a.permissionSet.name, b.permissionSet.name)),
    ]),
  );
}

/** One person's rows: each of their routes (policy group, directory group) times the pairs the group grants. */
export function rowsOfPerson(
  routes: readonly { group: string; route: ReviewRoute }[],
  pairs: ReadonlyMap<string, readonly Pair[]>,
  uses: ReadonlyMap<string, PairTimes>,
  context: RowContext,
): AccessRow[] {
  const rows: AccessRow[] = [];
  const seen = new Set<string>();
  for (const { group, route } of routes) {
    for (const { account, permissionSet, eligibility } of pairs.get(group) ?? []) {
      const key = JSON.stringify([account.id, permissionSet.name, group, route.groupDn]);
      if (seen.has(key)) continue;
      seen.add(key);
      const times = uses.get(pairKey({ accountId: account.id, permissionSet: permissionSet.name })) ?? {};
      const latest = [times.console, times.cli]
        .filter((time): time is string => time !== undefined)
        .sort()
        .pop();
      rows.push({
        personId: route.id,
        displayName: route.displayName,
        email: route.email ?? '',
        enabled: route.enabled,
        group,
        groupDn: route.groupDn,
        membership: route.chain.length === 0 ? 'direct' : 'nested',
        chain: [...route.chain],
        accountId: account.id,
        accountName: account.name,
        ouPath: account.ouPath ?? '',
        accountTags: { ...account.tags },
        permissionSet: permissionSet.name,
        roleArn: context.roleArn(account.id, permissionSet.name),
        sessionSeconds: permissionSet.sessionDurationSeconds,
        managedPolicyArns: [...permissionSet.managedPolicyArns],
        inlinePolicySha256: context.inlinePolicySha256.get(permissionSet.name) ?? '',
        permissionsBoundary: permissionSet.permissionsBoundaryArn ?? '',
        kind: eligibility ? 'eligible' : 'standing',
        approvalRule: eligibility ? approvalRuleText(eligibility) : '',
        lastConsoleUse: times.console ?? '',
        lastCliUse: times.cli ?? '',
        unused: latest === undefined || latest < context.unusedBefore,
        reviewer: '',
        decision: '',
        comment: '',
      });
    }
  }
  return rows.sort((a, b) => compare(a.accountId, b.accountId) || compare(a.permissionSet, b.permissionSet) || compare(a.group, b.group));
}

/**
 * The directory's answer turned around: each person -> their routes, people in id order.
 */
export function routesByPerson(
  routes: ReadonlyMap<string, readonly ReviewRoute[] | undefined>,
): Map<string, { group: string; route: ReviewRoute }[]> {
  const people = new Map<string, { group: string; route: ReviewRoute }[]>();
  for (const [group, list] of routes) for (const route of list ?? []) people.set(route.id, [...(people.get(route.id) ?? []), { group, route }]);
  return new Map([...people].sort(([a], [b]) => compare(a, b)));
}

/** The assigned groups the directory does not know: the review's own section. */
export function unknownGroups(routes: ReadonlyMap<string, readonly ReviewRoute[] | undefined>): string[] {
  return [...routes].filter(([, list]) => list === undefined).map(([group]) => group);
}

/** An eligibility entry's rule, as a reviewer reads it: "2 approvals from Security, Platform-Admins (different groups); up to 4 h (eligibility.yaml entry 1)". */
export function approvalRuleText(entry: Eligibility): string {
  const approval =
    entry.approval.kind === 'none'
      ? 'no approval'
      : `${entry.approval.count} approval${entry.approval.count === 1 ? '' : 's'} from ${entry.approval.groups.join(', ')}${entry.approval.distinctGroups ? ' (different groups)' : ''}`;
  return `${approval}; up to ${durationText(entry.maxDurationSeconds)} (${entry.source})`;
}

function durationText(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : `${Math.round(seconds / 60)} min`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
