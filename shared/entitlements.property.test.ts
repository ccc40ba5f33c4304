/**
 * The entitlement index (shared/entitlements.ts) answers exactly what the plain reading of the rules
 * answers, for any policy and any person: every assignment whose group matches, every account its
 * selector picks, each pair once, in display order, only where its role is in place; then the pairs an
 * eligibility entry offers on request, marked with the first such entry's rule, unless standing already.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entitlement } from './api/entitlements.ts';
import { compareEntitlements, eligibleOf, entitlementStatus, resolveEntitlements } from './entitlements.ts';
import { isAvailable, type Availability } from './plan/availability.ts';
import { groupMatches } from './policy/group-names.ts';
import type { Account, AccountSelector, Eligibility, PermissionSet, Policy } from './policy/model.ts';
import { selectAccounts } from './policy/selectors.ts';

/** The rules read plainly: what the index must agree with. */
function reference(policy: Policy, groups: readonly string[], available?: Availability): Entitlement[] {
  const found = new Map<string, Entitlement>();
  const offered = (entries: readonly { group: string; permissionSet: string; accounts: AccountSelector }[], mark: (entry: number) => object) =>
    entries.forEach((entry, index) => {
      if (!groupMatches(entry.group, groups)) return;
      const set = policy.permissionSets.find((candidate) => candidate.name === entry.permissionSet);
      if (!set) return;
      for (const account of selectAccounts(policy.accounts, entry.accounts)) {
        const key = `${account.id}/${set.name}`;
        if (found.has(key) || (available !== undefined && !isAvailable(available, account.id, set.name))) continue;
        found.set(key, { ...plainEntitlement(account, set), ...mark(index) });
      }
    });
  offered(policy.assignments, () => ({}));
  offered(policy.eligibility, (index) => ({ eligible: eligibleOf(policy.eligibility[index] as Eligibility) }));
  return [...found.values()].sort(compareEntitlements);
}

function plainEntitlement(account: Account, set: PermissionSet): Entitlement {
  return {
    accountId: account.id,
    accountName: account.name,
    ...(account.color !== undefined ? { color: account.color } : {}),
    regions: [...account.regions],
    permissionSet: set.name,
    ...(set.description !== undefined ? { description: set.description } : {}),
    sessionDurationSeconds: set.sessionDurationSeconds,
    ...(Object.keys(account.tags).length > 0 ? { tags: { ...account.tags } } : {}),
    ...(account.ouPath !== undefined ? { ouPath: account.ouPath } : {}),
  };
}

const GROUPS = [
  'Developers',
  'developers ',
  'CN=Developers,OU=Groups,DC=corp,DC=example,DC=com',
  'cn=ops+ou=infra,dc=corp',
  'Auditors',
  'Café',
  'a=b',
];
const NAMES = ['alpha', 'Alpha', 'beta', 'gamma-10', 'gamma-9', 'δ'];
const SETS = ['ReadOnly', 'readonly2', 'Admin', 'Developer'];

const accountArb = (id: number) =>
  fc
    .record({
      name: fc.constantFrom(...NAMES),
      color: fc.option(fc.constantFrom('#d13212', 'red'), { nil: undefined }),
      regions: fc.subarray(['eu-west-1', 'us-east-1']),
      tags: fc.dictionary(fc.constantFrom('env', 'team'), fc.constantFrom('prod', 'dev', 'a')),
      ouPath: fc.option(fc.constantFrom('/Root', '/Root/Workloads', '/Root/Workloads/Prod'), { nil: undefined }),
    })
    .map(({ color, ouPath, ...fields }): Account => ({
      id: String(100_000_000_000 + id),
      ...fields,
      ...(color !== undefined ? { color } : {}),
      ...(ouPath !== undefined ? { ouPath } : {}),
    }));

const selectorArb: fc.Arbitrary<AccountSelector> = fc.oneof(
  fc.constant({ all: true }),
  fc.record({ tags: fc.dictionary(fc.constantFrom('env', 'team'), fc.constantFrom('prod', 'dev'), { minKeys: 1 }) }),
  fc.record({ names: fc.subarray(NAMES, { minLength: 1 }) }),
  fc.record({ ouPaths: fc.subarray(['/Root/Workloads', '/Root/Workloads/Prod'], { minLength: 1 }) }),
  fc.record({
    ids: fc.subarray(
      Array.from({ length: 8 }, (_, i) => String(100_000_000_000 + i)),
      { minLength: 1 },
    ),
  }),
);

const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    accountCount: fc.integer({ min: 0, max: 8 }),
    sets: fc.subarray(SETS, { minLength: 1 }),
    assignments: fc.array(
      fc.record({ group: fc.constantFrom(...GROUPS), permissionSet: fc.constantFrom(...SETS, 'Missing'), accounts: selectorArb }),
      { maxLength: 8 },
    ),
    eligibility: fc.array(
      fc.record({
        group: fc.constantFrom(...GROUPS),
        permissionSet: fc.constantFrom(...SETS, 'Missing'),
        accounts: selectorArb,
        maxDurationSeconds: fc.constantFrom(3600, 7200),
        approval: fc.constantFrom<Eligibility['approval']>(
          { kind: 'none' },
          { kind: 'approvers', groups: ['Approvers'], count: 1, distinctGroups: false },
        ),
      }),
      { maxLength: 4 },
    ),
  })
  .chain(({ accountCount, sets, assignments, eligibility }) =>
    fc.tuple(...Array.from({ length: accountCount }, (_, i) => accountArb(i))).map((accounts) => ({
      accounts,
      permissionSets: sets.map((name, i) => ({
        name,
        ...(i % 2 ? { description: `about ${name}` } : {}),
        sessionDurationSeconds: 3600 * (i + 1),
        managedPolicyArns: [],
        tags: {},
      })),
      assignments,
      eligibility: eligibility.map((entry, i): Eligibility => ({
        ...entry,
        defaultDurationSeconds: 3600,
        justification: { required: false },
        pendingExpirySeconds: 600,
        extensions: { count: 0, durationSeconds: 0 },
        source: `eligibility.yaml entry ${i + 1}`,
      })),
    })),
  );

const availabilityArb = (policy: Policy): fc.Arbitrary<Availability | undefined> =>
  fc.option(
    fc
      .array(fc.tuple(fc.constantFrom(...policy.accounts.map((a) => a.id), '999999999999'), fc.subarray(SETS)), { maxLength: 8 })
      .map((entries) => Object.fromEntries(entries)),
    { nil: undefined },
  );

describe('the entitlement index', () => {
  it('lists what the plain reading of the rules lists, in the same order', () => {
    fc.assert(
      fc.property(
        policyArb.chain((policy) => fc.tuple(fc.constant(policy), fc.subarray(GROUPS), availabilityArb(policy))),
        ([policy, groups, available]) => {
          expect(resolveEntitlements(policy, groups, available)).toEqual(reference(policy, groups, available));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('checks one pair as the list says: listed is available, assigned but not listed is unavailable, the rest not assigned', () => {
    fc.assert(
      fc.property(
        policyArb.chain((policy) => fc.tuple(fc.constant(policy), fc.subarray(GROUPS), availabilityArb(policy))),
        ([policy, groups, available]) => {
          const listed = new Set(reference(policy, groups, available).map((e) => `${e.accountId}/${e.permissionSet}`));
          const assigned = new Set(reference(policy, groups).map((e) => `${e.accountId}/${e.permissionSet}`));
          for (const account of [...policy.accounts, { id: '999999999999' }]) {
            for (const permissionSet of [...SETS, 'Missing']) {
              const key = `${account.id}/${permissionSet}`;
              const expected = listed.has(key) ? 'available' : assigned.has(key) ? 'unavailable' : 'not-assigned';
              expect(entitlementStatus(policy, groups, available, { accountId: account.id, permissionSet }).kind).toBe(expected);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('answers from the same policy object many times alike, whatever the order of people asking', () => {
    fc.assert(
      fc.property(policyArb, fc.array(fc.subarray(GROUPS), { minLength: 2, maxLength: 5 }), (policy, people) => {
        const first = people.map((groups) => resolveEntitlements(policy, groups));
        const again = [...people]
          .reverse()
          .map((groups) => resolveEntitlements(policy, groups))
          .reverse();
        expect(again).toEqual(first);
      }),
      { numRuns: 100 },
    );
  });
});
