import { describe, expect, test } from 'vitest';
import { policyWith, readOnlySet } from '../../test/fixtures/plan.ts';
import { accessChanges, accessGrants, groupsAffected } from './access-changes.ts';
import { peopleChanges } from './people-changes.ts';

const DEV = '111111111111';
const PROD = '222222222222';
const admin = { ...readOnlySet, name: 'Admin' };

describe('accessChanges', () => {
  test('grants added and removed, as (group, account, permission set)', () => {
    const before = policyWith({ assignments: [{ group: 'devs', permissionSet: 'ReadOnly', accounts: { all: true } }] });
    const after = policyWith({
      permissionSets: [readOnlySet, admin],
      assignments: [
        { group: 'devs', permissionSet: 'ReadOnly', accounts: { names: ['dev'] } },
        { group: 'ops', permissionSet: 'Admin', accounts: { names: ['prod'] } },
      ],
    });
    expect(accessChanges(before, after)).toEqual({
      added: [{ group: 'ops', accountId: PROD, permissionSet: 'Admin' }],
      removed: [{ group: 'devs', accountId: PROD, permissionSet: 'ReadOnly' }],
    });
  });

  test('with nothing applied yet, every grant is added', () => {
    expect(accessChanges(undefined, policyWith()).added).toEqual(accessGrants(policyWith()));
  });

  test('a group only respelled (case, DN spacing and escapes) is neither gained nor lost', () => {
    const named = (group: string) => policyWith({ assignments: [{ group, permissionSet: 'ReadOnly', accounts: { all: true } }] });
    expect(accessChanges(named('Devs'), named('devs'))).toEqual({ added: [], removed: [] });
    expect(accessChanges(named('CN=AWS\\, Admins,OU=Groups,DC=corp'), named('cn=AWS\\2C Admins, ou=Groups, dc=corp'))).toEqual({
      added: [],
      removed: [],
    });
  });

  test('an assignment of a permission set that does not exist grants nothing', () => {
    const policy = policyWith({ assignments: [{ group: 'devs', permissionSet: 'Missing', accounts: { all: true } }] });
    expect(accessGrants(policy)).toEqual([]);
  });

  test('the groups whose members can gain or lose: those granting a changed pair before or after, and no others', () => {
    const before = policyWith({
      permissionSets: [readOnlySet, admin],
      assignments: [
        { group: 'devs', permissionSet: 'ReadOnly', accounts: { all: true } },
        { group: 'leads', permissionSet: 'Admin', accounts: { names: ['prod'] } },
        { group: 'auditors', permissionSet: 'ReadOnly', accounts: { names: ['dev'] } },
      ],
    });
    const after = {
      ...before,
      assignments: [...before.assignments, { group: 'contractors', permissionSet: 'Admin', accounts: { names: ['prod'] } }],
    };
    expect(groupsAffected(before, after, accessChanges(before, after))).toEqual(['contractors', 'leads']);
  });
});

describe('peopleChanges', () => {
  const before = policyWith({
    permissionSets: [readOnlySet, admin],
    assignments: [
      { group: 'leads', permissionSet: 'Admin', accounts: { names: ['prod'] } },
      { group: 'devs', permissionSet: 'ReadOnly', accounts: { names: ['dev'] } },
    ],
  });
  const after = policyWith({
    permissionSets: [readOnlySet, admin],
    assignments: [
      { group: 'contractors', permissionSet: 'Admin', accounts: { names: ['prod'] } },
      { group: 'devs', permissionSet: 'ReadOnly', accounts: { names: ['dev'] } },
    ],
  });
  const alice = { id: 'alice@corp', displayName: 'Alice' };
  const carol = { id: 'carol@corp', displayName: 'Carol' };
  const lee = { id: 'lee@corp', displayName: 'Lee' };

  test('a person gains a pair no group of theirs granted, loses one none grants now, and keeps one another group still grants', () => {
    const members = new Map([
      ['contractors', [carol, alice]],
      ['leads', [alice, lee]],
    ]);
    expect(peopleChanges(before, after, members)).toEqual({
      gains: [{ ...carol, accountId: PROD, permissionSet: 'Admin', groups: ['contractors'] }],
      losses: [{ ...lee, accountId: PROD, permissionSet: 'Admin', groups: ['leads'] }],
    });
  });

  test('members listed under another spelling of the group count as that group', () => {
    const members = new Map([['Contractors', [carol]]]);
    expect(peopleChanges(before, after, members).gains).toEqual([{ ...carol, accountId: PROD, permissionSet: 'Admin', groups: ['contractors'] }]);
    expect(peopleChanges(undefined, after, new Map([['devs', [lee]]])).gains).toEqual([
      { ...lee, accountId: DEV, permissionSet: 'ReadOnly', groups: ['devs'] },
    ]);
  });
});
