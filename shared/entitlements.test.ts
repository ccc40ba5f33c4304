import { describe, expect, it } from 'vitest';
import { compareEntitlements, entitlementStatus, resolveEntitlements } from './entitlements.ts';
import type { Policy } from './policy/model.ts';

const account = (id: string, name: string, tags: Record<string, string>, ouPath: string, color?: string) => ({
  id,
  name,
  tags,
  ouPath,
  regions: ['eu-west-1'],
  ...(color ? { color } : {}),
});

const policy: Policy = {
  accounts: [
    account('111111111111', 'payments-prod', { env: 'prod' }, '/Root/Workloads/Prod', '#d13212'),
    account('222222222222', 'payments-dev', { env: 'dev' }, '/Root/Workloads/Dev'),
    account('333333333333', 'Sandbox', { env: 'sandbox' }, '/Root/Sandbox'),
  ],
  permissionSets: [
    { name: 'ReadOnly', description: 'Read', sessionDurationSeconds: 28800, managedPolicyArns: [], tags: {} },
    { name: 'Developer', sessionDurationSeconds: 14400, managedPolicyArns: [], tags: {} },
    { name: 'Admin', sessionDurationSeconds: 3600, managedPolicyArns: [], tags: {} },
  ],
  assignments: [
    { group: 'Auditors', permissionSet: 'ReadOnly', accounts: { tags: { env: 'prod' } } },
    { group: 'Developers', permissionSet: 'Developer', accounts: { tags: { env: 'dev' } } },
    { group: 'Developers', permissionSet: 'Developer', accounts: { ouPaths: ['/Root/Sandbox'] } },
    { group: 'Developers', permissionSet: 'ReadOnly', accounts: { ouPaths: ['/Root/Workloads'] } },
    { group: 'CN=Platform Admins,OU=Groups,DC=corp,DC=example,DC=com', permissionSet: 'Admin', accounts: { all: true } },
    { group: 'Auditors', permissionSet: 'ReadOnly', accounts: { ids: ['111111111111'] } },
  ],
};

const pairs = (groups: string[]) => resolveEntitlements(policy, groups).map((e) => `${e.accountName}/${e.permissionSet}`);

describe('resolveEntitlements', () => {
  it('gives nothing to a person in no assigned group', () => {
    expect(resolveEntitlements(policy, ['Nobody'])).toEqual([]);
    expect(resolveEntitlements(policy, [])).toEqual([]);
  });

  it('fills every field from the account and the permission set', () => {
    expect(resolveEntitlements(policy, ['Auditors'])).toEqual([
      {
        accountId: '111111111111',
        accountName: 'payments-prod',
        color: '#d13212',
        regions: ['eu-west-1'],
        permissionSet: 'ReadOnly',
        description: 'Read',
        sessionDurationSeconds: 28800,
        // For the popup's search.
        tags: { env: 'prod' },
        ouPath: '/Root/Workloads/Prod',
      },
    ]);
  });

  it('takes the union over groups, once each, in display order', () => {
    expect(pairs(['Developers', 'auditors'])).toEqual([
      'payments-dev/Developer',
      'payments-dev/ReadOnly',
      'payments-prod/ReadOnly',
      'Sandbox/Developer',
    ]);
  });

  it('orders by account name, then account id, then permission set, ignoring case', () => {
    const e = (accountName: string, accountId: string, permissionSet: string) => ({
      accountName,
      accountId,
      permissionSet,
      regions: [],
      sessionDurationSeconds: 3600,
    });
    const input = [
      e('sandbox', '4', 'Developer'),
      e('Data-prod', '3', 'ReadOnly'),
      e('sandbox', '4', 'AdministratorAccess'),
      e('data-prod', '1', 'ReadOnly'),
    ];
    expect([...input].sort(compareEntitlements).map((x) => `${x.accountName}:${x.accountId}:${x.permissionSet}`)).toEqual([
      'data-prod:1:ReadOnly',
      'Data-prod:3:ReadOnly',
      'sandbox:4:AdministratorAccess',
      'sandbox:4:Developer',
    ]);
  });

  it('matches names case-insensitively and a plain name against the CN of a DN', () => {
    expect(pairs(['CN=developers,OU=Groups,DC=corp,DC=example,DC=com'])).toEqual(pairs(['Developers']));
    expect(pairs(['DEVELOPERS'])).toEqual(pairs(['Developers']));
  });

  it('matches a DN in the policy only against that same DN', () => {
    expect(pairs(['cn=platform admins, ou=groups, dc=corp, dc=example, dc=com'])).toHaveLength(3);
    expect(pairs(['Platform Admins'])).toEqual([]);
    expect(pairs(['CN=Platform Admins,OU=Other,DC=corp,DC=example,DC=com'])).toEqual([]);
  });

  it('skips assignments naming a permission set the policy lacks', () => {
    const broken: Policy = { ...policy, assignments: [{ group: 'X', permissionSet: 'Gone', accounts: { all: true } }] };
    expect(resolveEntitlements(broken, ['X'])).toEqual([]);
  });

  it('offers only the pairs whose role is available, and tells unavailable from not assigned', () => {
    const available = { '222222222222': ['Developer'], '111111111111': ['ReadOnly'] };
    expect(resolveEntitlements(policy, ['Developers'], available).map((e) => `${e.accountName}/${e.permissionSet}`)).toEqual([
      'payments-dev/Developer',
      'payments-prod/ReadOnly',
    ]);
    expect(entitlementStatus(policy, ['Developers'], available, { accountId: '222222222222', permissionSet: 'Developer' }).kind).toBe('available');
    expect(entitlementStatus(policy, ['Developers'], available, { accountId: '333333333333', permissionSet: 'Developer' }).kind).toBe('unavailable');
    expect(entitlementStatus(policy, ['Developers'], available, { accountId: '333333333333', permissionSet: 'Admin' }).kind).toBe('not-assigned');
    expect(entitlementStatus(policy, ['Developers'], undefined, { accountId: '333333333333', permissionSet: 'Developer' }).kind).toBe('available');
  });
});
