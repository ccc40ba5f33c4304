import { describe, expect, test } from 'vitest';
import { desiredRoles } from './desired-roles.ts';
import { PROVIDER, TRUST, policyWith, readOnlySet } from '../../test/fixtures/plan.ts';

describe('desiredRoles', () => {
  test('one role per granted (account, permission set), named, pathed and tagged as ours', () => {
    const roles = desiredRoles(policyWith(), TRUST);
    expect([...roles.keys()]).toEqual(['111111111111', '222222222222']);
    const [role] = roles.get('222222222222') ?? [];
    expect(role).toMatchObject({
      roleName: 'Switchyard-ReadOnly',
      path: '/switchyard/',
      maxSessionDuration: 28_800,
      tags: { team: 'platform', 'switchyard:managed': 'true' },
    });
    expect(JSON.stringify(role?.trustPolicy)).toContain('"222222222222:ReadOnly"');
    expect(JSON.stringify(role?.trustPolicy)).toContain(`"${PROVIDER}"`);
  });

  test('accounts no assignment selects want no roles; selectors by tag, name and OU work (fields combine with AND)', () => {
    const admin = { ...readOnlySet, name: 'Admin' };
    const policy = policyWith({
      accounts: [
        { id: '111111111111', name: 'dev', tags: { env: 'dev' }, regions: [], ouPath: '/Root/Dev' },
        { id: '222222222222', name: 'prod', tags: { env: 'prod' }, regions: [], ouPath: '/Root/Prod' },
        { id: '333333333333', name: 'sandbox', tags: {}, regions: [] },
      ],
      permissionSets: [readOnlySet, admin],
      assignments: [
        { group: 'a', permissionSet: 'ReadOnly', accounts: { tags: { env: 'prod' } } },
        { group: 'b', permissionSet: 'Admin', accounts: { ouPaths: ['/Root/Dev'] } },
        { group: 'c', permissionSet: 'ReadOnly', accounts: { names: ['dev'] } },
        { group: 'd', permissionSet: 'Admin', accounts: { names: ['sandbox'], tags: { env: 'prod' } } },
      ],
    });
    const roles = desiredRoles(policy, TRUST);
    const names = (id: string) => roles.get(id)?.map((r) => r.roleName);
    expect(names('111111111111')).toEqual(['Switchyard-Admin', 'Switchyard-ReadOnly']);
    expect(names('222222222222')).toEqual(['Switchyard-ReadOnly']);
    expect(names('333333333333')).toEqual([]);
  });

  test('an eligible pair has its role too, built exactly as a standing one is', () => {
    const admin = { ...readOnlySet, name: 'Admin' };
    const policy = policyWith({
      permissionSets: [readOnlySet, admin],
      assignments: [{ group: 'devs', permissionSet: 'ReadOnly', accounts: { names: ['dev'] } }],
      eligibility: [
        {
          group: 'devs',
          permissionSet: 'Admin',
          accounts: { names: ['prod'] },
          maxDurationSeconds: 3600,
          defaultDurationSeconds: 3600,
          justification: { required: true },
          approval: { kind: 'none' },
          pendingExpirySeconds: 600,
          extensions: { count: 0, durationSeconds: 0 },
          source: 'eligibility.yaml entry 1',
        },
      ],
    });
    const roles = desiredRoles(policy, TRUST);
    expect(roles.get('111111111111')?.map((r) => r.roleName)).toEqual(['Switchyard-ReadOnly']);
    expect(roles.get('222222222222')?.map((r) => r.roleName)).toEqual(['Switchyard-Admin']);
  });
});
