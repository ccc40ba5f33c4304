/**
 * What a person may open: the (account, permission set) pairs assigned to any of their groups (standing),
 * and those an eligibility entry lets them ask for (marked `eligible`), each once, in display order
 * (compareEntitlements). A pair both standing and eligible is standing. Group matching: see
 * policy/group-names.ts. With an availability (plan/availability.ts), only the pairs whose role is known
 * to be in place.
 *
 * The API answers from one published policy for many requests, and an organization may have 10,000
 * accounts and hundreds of assignments. So the policy is prepared once (EntitlementIndex, kept with
 * the policy object it was built from): accounts and permission sets ranked in display order, each
 * assignment's group as a key and its accounts found once, on first use. A person then costs one
 * lookup per assignment, their pairs in order, and nothing else; checking one pair costs no list at all.
 */
import type { Eligible, Entitlement } from './api/entitlements.ts';
import type { Availability } from './plan/availability.ts';
import type { Account, Assignment, Eligibility, PermissionSet, Policy } from './policy/model.ts';
import { groupKeys, groupMatches, policyGroupKey } from './policy/group-names.ts';
import { selectorMatcher } from './policy/selectors.ts';
import { compareAccounts } from './policy/account-order.ts';

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

/**
 * The eligibility entry that governs a person's requests for a pair: the first entry naming one of their
 * groups and selecting the pair; undefined when none does, or when the pair is theirs standing anyway.
 */
export function eligibilityFor(
  policy: Policy,
  groups: readonly string[],
  target: { accountId: string; permissionSet: string },
): Eligibility | undefined {
  const account = policy.accounts.find((candidate) => candidate.id === target.accountId);
  if (!account) return undefined;
  const selects = (entry: { group: string; permissionSet: string; accounts: Policy['assignments'][number]['accounts'] }) =>
    entry.permissionSet === target.permissionSet && groupMatches(entry.group, groups) && selectorMatcher(entry.accounts)(account);
  if (policy.assignments.some(selects)) return undefined;
  return policy.eligibility.find(selects);
}

/** What a requester sees of an eligibility entry. */
export function eligibleOf(entry: Eligibility): Eligible {
  return {
    maxDurationSeconds: entry.maxDurationSeconds,
    defaultDurationSeconds: entry.defaultDurationSeconds,
    justification: { ...entry.justification },
    approval: entry.approval.kind === 'none' ? { kind: 'none' } : { ...entry.approval, groups: [...entry.approval.groups] },
    pendingExpirySeconds: entry.pendingExpirySeconds,
    extensions: { ...entry.extensions },
  };
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Display order: account name, then account id (keeps same-named accounts apart), then permission set. */
export function compareEntitlements(a: Entitlement, b: Entitlement): number {
  return (
    collator.compare(a.accountName, b.accountName) || collator.compare(a.accountId, b.accountId) || collator.compare(a.permissionSet, b.permissionSet)
  );
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
  assignment: Assignment | Eligibility;
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
  /** The eligibility entries, in the policy's order: the first that selects a pair for a person sets its rule. */
  private readonly eligibility: PreparedAssignment[];
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
    const prepare = (assignment: Assignment | Eligibility): PreparedAssignment[] => {
      const set = this.setRank.get(assignment.permissionSet);
      return set === undefined
        ? []
        : [{ groupKey: policyGroupKey(assignment.group), set, assignment, matches: selectorMatcher(assignment.accounts) }];
    };
    this.assignments = policy.assignments.flatMap(prepare);
    this.eligibility = policy.eligibility.flatMap(prepare);
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
    const keys = groupKeys(groups);
    const matched = this.assignments.filter((assignment) => keys.has(assignment.groupKey));
    const eligible = this.eligibility.filter((entry) => keys.has(entry.groupKey));
    if (matched.length === 0 && eligible.length === 0) return [];
    const setCount = this.sets.length;
    // One mark per pair, in display order by construction: account rank first, then set rank.
    const assigned = new Uint8Array(this.accounts.length * setCount);
    for (const assignment of matched) {
      for (const rank of this.accountsOf(assignment)) assigned[rank * setCount + assignment.set] = 1;
    }
    // A pair both standing and eligible is standing; the first eligibility entry selecting a pair sets its rule.
    const ruleOf = new Map<number, Eligibility>();
    for (const entry of eligible) {
      for (const rank of this.accountsOf(entry)) {
        const pair = rank * setCount + entry.set;
        if (assigned[pair] === 0 && !ruleOf.has(pair)) ruleOf.set(pair, entry.assignment as Eligibility);
      }
    }
    const list: Entitlement[] = [];
    for (let pair = 0; pair < assigned.length; pair++) {
      const rule = assigned[pair] === 0 ? ruleOf.get(pair) : undefined;
      if ((assigned[pair] === 0 && rule === undefined) || (this.inPlace !== undefined && this.inPlace[pair] === 0)) continue;
      const entitlement = (this.made[pair] ??= entitlementOf(
        this.accounts[Math.floor(pair / setCount)] as Account,
        this.sets[pair % setCount] as PermissionSet,
      ));
      list.push(rule ? { ...entitlement, eligible: eligibleOf(rule) } : entitlement);
    }
    return list;
  }

  status(groups: readonly string[], target: { accountId: string; permissionSet: string }): EntitlementStatus {
    const rank = this.accountRank.get(target.accountId);
    const setRank = this.setRank.get(target.permissionSet);
    if (rank === undefined || setRank === undefined) return { kind: 'not-assigned' };
    const account = this.accounts[rank] as Account;
    const keys = groupKeys(groups);
    const selects = (entry: PreparedAssignment) => keys.has(entry.groupKey) && entry.set === setRank && entry.matches(account);
    const assigned = this.assignments.some(selects);
    const rule = assigned ? undefined : this.eligibility.find(selects);
    if (!assigned && !rule) return { kind: 'not-assigned' };
    const pair = rank * this.sets.length + setRank;
    const made = (this.made[pair] ??= entitlementOf(account, this.sets[setRank] as PermissionSet));
    const entitlement = rule ? { ...made, eligible: eligibleOf(rule.assignment as Eligibility) } : made;
    const inPlace = this.inPlace === undefined || this.inPlace[pair] === 1;
    return inPlace ? { kind: 'available', entitlement } : { kind: 'unavailable', entitlement };
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
  if (set.consoleOnly) entitlement.consoleOnly = true;
  return entitlement;
}
