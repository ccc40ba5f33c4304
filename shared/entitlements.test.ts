import { describe, expect, it } from 'vitest';
import { compareEntitlements, eligibilityFor, entitlementStatus, resolveEntitlements } from './entitlements.ts';
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
  eligibility: [],
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

describe('eligible pairs', () => {
  const rule = (group: string, permissionSet: string, accounts: Policy['assignments'][number]['accounts'], maxDurationSeconds: number) => ({
    group,
    permissionSet,
    accounts,
    maxDurationSeconds,
    defaultDurationSeconds: 3600,
    justification: { required: true },
    approval: { kind: 'approvers' as const, groups: ['Platform-Admins'], count: 1, distinctGroups: false },
    pendingExpirySeconds: 86400,
    extensions: { count: 0, durationSeconds: 0 },
    source: `eligibility.yaml entry ${maxDurationSeconds}`,
  });
  const withEligibility: Policy = {
    ...policy,
    eligibility: [
      rule('Auditors', 'Admin', { names: ['payments-prod'] }, 7200),
      // Standing for Developers already (assignments), eligible for Auditors: standing wins for a person in both.
      rule('Auditors', 'Developer', { names: ['payments-dev'] }, 3600),
      rule('On-Call', 'Admin', { all: true }, 1800),
    ],
  };

  it('lists them marked eligible, with the rule a request form needs, beside the standing ones', () => {
    const listed = resolveEntitlements(withEligibility, ['Auditors']);
    expect(listed.map((e) => `${e.accountName}/${e.permissionSet}${e.eligible ? ' (eligible)' : ''}`)).toEqual([
      'payments-dev/Developer (eligible)',
      'payments-prod/Admin (eligible)',
      'payments-prod/ReadOnly',
    ]);
    expect(listed[1]?.eligible).toEqual({
      maxDurationSeconds: 7200,
      defaultDurationSeconds: 3600,
      justification: { required: true },
      approval: { kind: 'approvers', groups: ['Platform-Admins'], count: 1, distinctGroups: false },
      pendingExpirySeconds: 86400,
      extensions: { count: 0, durationSeconds: 0 },
    });
  });

  it('a pair standing for one of the person’s groups and eligible for another is standing', () => {
    const listed = resolveEntitlements(withEligibility, ['Auditors', 'Developers']);
    expect(listed.find((e) => e.accountName === 'payments-dev' && e.permissionSet === 'Developer')?.eligible).toBeUndefined();
    expect(eligibilityFor(withEligibility, ['Auditors', 'Developers'], { accountId: '222222222222', permissionSet: 'Developer' })).toBeUndefined();
    expect(eligibilityFor(withEligibility, ['Auditors'], { accountId: '222222222222', permissionSet: 'Developer' })?.maxDurationSeconds).toBe(3600);
  });

  it('the first entry naming one of the person’s groups sets the rule', () => {
    const target = { accountId: '111111111111', permissionSet: 'Admin' };
    expect(eligibilityFor(withEligibility, ['On-Call', 'Auditors'], target)?.maxDurationSeconds).toBe(7200);
    expect(eligibilityFor(withEligibility, ['On-Call'], target)?.maxDurationSeconds).toBe(1800);
    expect(eligibilityFor(withEligibility, ['Nobody'], target)).toBeUndefined();
    expect(
      resolveEntitlements(withEligibility, ['On-Call', 'Auditors']).find((e) => e.accountId === '111111111111' && e.permissionSet === 'Admin')
        ?.eligible?.maxDurationSeconds,
    ).toBe(7200);
  });

  it('offers an eligible pair only while its role is in place, like a standing one', () => {
    const status = entitlementStatus(
      withEligibility,
      ['Auditors'],
      { '111111111111': ['ReadOnly'] },
      { accountId: '111111111111', permissionSet: 'Admin' },
    );
    expect(status.kind).toBe('unavailable');
  });
});
