/**
 * What a person may open: the (account, permission set) pairs assigned to any of their groups,
 * each once, in display order (compareEntitlements). Group matching: see policy/group-names.ts.
 * With an availability (plan/availability.ts), only the pairs whose role is known to be in place.
 *
 * The API answers from one published policy for many requests, and an organization may have 10,000
 * accounts and hundreds of assignments. So the policy is prepared once (EntitlementIndex, kept with
 * the policy object it was built from): accounts and permission sets ranked in display order, each
 * assignment's group as a key and its accounts found once, on first use. A person then costs one
 * lookup per assignment, their pairs in order, and nothing else; checking one pair costs no list at all.
 */
import type { Entitlement } from './api/entitlements.ts';
import type { Availability } from './plan/availability.ts';
import type { Account, Assignment, PermissionSet, Policy } from './policy/model.ts';
import { groupKeys, policyGroupKey } from './policy/group-names.ts';
import { selectorMatcher } from './policy/selectors.ts';

export function resolveEntitlements(policy: Policy, groups: readonly string[], available?: Availability): Entitlement[] {
  return entitlementIndex(policy, available).entitlements(groups);
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
  return entitlementIndex(policy, available).status(groups, target);
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Display order: account name, then account id (keeps same-named accounts apart), then permission set. */
export function compareEntitlements(a: Entitlement, b: Entitlement): number {
  return (
    collator.compare(a.accountName, b.accountName) || collator.compare(a.accountId, b.accountId) || collator.compare(a.permissionSet, b.permissionSet)
  );
}

/** Accounts in display order (name, then id): the order the reconciler publishes them in, so an API cold start need not sort them. */
export function compareAccounts(a: Account, b: Account): number {
  return collator.compare(a.name, b.name) || collator.compare(a.id, b.id);
}

/** The index of a policy and availability, built on first use and kept as long as the policy object lives. */
export function entitlementIndex(policy: Policy, available: Availability | undefined): EntitlementIndex {
  const kept = indexes.get(policy);
  if (kept && kept.available === available) return kept.index;
  const index = new EntitlementIndex(policy, available);
  indexes.set(policy, { available, index });
  return index;
}

const indexes = new WeakMap<Policy, { available: Availability | undefined; index: EntitlementIndex }>();

interface PreparedAssignment {
  groupKey: string;
  /** The permission set's rank in display order. */
  set: number;
  assignment: Assignment;
  /** The ranks of the accounts it selects, ascending; found on first use. */
  accounts?: Int32Array;
  matches: (account: Account) => boolean;
}

/** A policy prepared for answering many people (see the top of this file). */
export class EntitlementIndex {
  /** Accounts in display order (name, then id). */
  private readonly accounts: Account[];
  /** Permission sets in display order (name). */
  private readonly sets: PermissionSet[];
  private readonly setRank: Map<string, number>;
  private readonly accountRank: Map<string, number>;
  private readonly assignments: PreparedAssignment[];
  /** Per pair (account rank x sets + set rank): 1 when its role is in place; undefined when every pair counts as in place. */
  private readonly inPlace: Uint8Array | undefined;
  /** Per pair, its entitlement once made: an admin of every account gets the same 100,000 objects each time, not new ones. */
  private readonly made: (Entitlement | undefined)[];

  constructor(policy: Policy, available: Availability | undefined) {
    // Published policies list their accounts in display order already: checking costs a tenth of sorting.
    const ordered = policy.accounts.every((account, i) => i === 0 || compareAccounts(policy.accounts[i - 1] as Account, account) <= 0);
    this.accounts = ordered ? [...policy.accounts] : [...policy.accounts].sort(compareAccounts);
    this.accountRank = new Map(this.accounts.map((account, rank) => [account.id, rank]));
    this.sets = [...policy.permissionSets].sort((a, b) => collator.compare(a.name, b.name));
    this.setRank = new Map(this.sets.map((set, rank) => [set.name, rank]));
    this.assignments = policy.assignments.flatMap((assignment) => {
      const set = this.setRank.get(assignment.permissionSet);
      return set === undefined
        ? []
        : [{ groupKey: policyGroupKey(assignment.group), set, assignment, matches: selectorMatcher(assignment.accounts) }];
    });
    if (available !== undefined) {
      this.inPlace = new Uint8Array(this.accounts.length * this.sets.length);
      for (const [accountId, names] of Object.entries(available)) {
        const rank = this.accountRank.get(accountId);
        if (rank === undefined) continue;
        for (const name of names) {
          const set = this.setRank.get(name);
          if (set !== undefined) this.inPlace[rank * this.sets.length + set] = 1;
        }
      }
    }
    this.made = new Array<Entitlement | undefined>(this.accounts.length * this.sets.length);
  }

  entitlements(groups: readonly string[]): Entitlement[] {
    const matched = this.matching(groups);
    if (matched.length === 0) return [];
    const setCount = this.sets.length;
    // One mark per pair, in display order by construction: account rank first, then set rank.
    const assigned = new Uint8Array(this.accounts.length * setCount);
    for (const assignment of matched) {
      for (const rank of this.accountsOf(assignment)) assigned[rank * setCount + assignment.set] = 1;
    }
    const list: Entitlement[] = [];
    for (let pair = 0; pair < assigned.length; pair++) {
      if (assigned[pair] === 0 || (this.inPlace !== undefined && this.inPlace[pair] === 0)) continue;
      list.push(
        (this.made[pair] ??= entitlementOf(this.accounts[Math.floor(pair / setCount)] as Account, this.sets[pair % setCount] as PermissionSet)),
      );
    }
    return list;
  }

  status(groups: readonly string[], target: { accountId: string; permissionSet: string }): EntitlementStatus {
    const rank = this.accountRank.get(target.accountId);
    const setRank = this.setRank.get(target.permissionSet);
    if (rank === undefined || setRank === undefined) return { kind: 'not-assigned' };
    const account = this.accounts[rank] as Account;
    const assigned = this.matching(groups).some((assignment) => assignment.set === setRank && assignment.matches(account));
    if (!assigned) return { kind: 'not-assigned' };
    const pair = rank * this.sets.length + setRank;
    const entitlement = (this.made[pair] ??= entitlementOf(account, this.sets[setRank] as PermissionSet));
    const inPlace = this.inPlace === undefined || this.inPlace[pair] === 1;
    return inPlace ? { kind: 'available', entitlement } : { kind: 'unavailable', entitlement };
  }

  private matching(groups: readonly string[]): PreparedAssignment[] {
    const keys = groupKeys(groups);
    return this.assignments.filter((assignment) => keys.has(assignment.groupKey));
  }

  private accountsOf(assignment: PreparedAssignment): Int32Array {
    if (!assignment.accounts) {
      const ranks: number[] = [];
      this.accounts.forEach((account, rank) => {
        if (assignment.matches(account)) ranks.push(rank);
      });
      assignment.accounts = Int32Array.from(ranks);
    }
    return assignment.accounts;
  }
}

/** One entitlement; its regions and tags are the policy's own arrays and objects. Shared by every answer that lists it: never changed. */
function entitlementOf(account: Account, set: PermissionSet): Entitlement {
  const entitlement: Entitlement = {
    accountId: account.id,
    accountName: account.name,
    regions: account.regions,
    permissionSet: set.name,
    sessionDurationSeconds: set.sessionDurationSeconds,
  };
  if (account.color !== undefined) entitlement.color = account.color;
  if (set.description !== undefined) entitlement.description = set.description;
  if (Object.keys(account.tags).length > 0) entitlement.tags = account.tags;
  if (account.ouPath !== undefined) entitlement.ouPath = account.ouPath;
  return entitlement;
}
