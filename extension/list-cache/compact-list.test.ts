import { describe, expect, it } from 'vitest';
import { compactList, expandList, parseCompactList } from './compact-list-build.ts';
import {
  accountColor,
  accountId,
  accountIndex,
  accountName,
  colorOfAccount,
  idOfAccount,
  isCompactList,
  nameOfAccount,
  ouPath,
  permissionSetDescription,
  permissionSetIndex,
  permissionSetName,
  regions,
  rowCount,
  rowKey,
  sessionSeconds,
  tags,
} from './compact-list.ts';

/** An entitlement as the API sends it: what a list is made from, and expands back to. */
type Entitlement = ReturnType<typeof expandList>[number];

const entitlements: Entitlement[] = [
  {
    accountId: '111111111111',
    accountName: 'payments-prod',
    color: '#d13212',
    regions: ['eu-west-1', 'us-east-1'],
    permissionSet: 'AdministratorAccess',
    description: 'Full access',
    sessionDurationSeconds: 3600,
    tags: { team: 'payments', 'switchyard:color': 'd13212' },
    ouPath: '/Root/Prod',
  },
  {
    accountId: '111111111111',
    accountName: 'payments-prod',
    color: '#d13212',
    regions: ['eu-west-1', 'us-east-1'],
    permissionSet: 'ReadOnly',
    sessionDurationSeconds: 43200,
    tags: { team: 'payments' },
    ouPath: '/Root/Prod',
  },
  {
    accountId: '222222222222',
    accountName: 'sandbox',
    regions: [],
    permissionSet: 'AdministratorAccess',
    description: 'Full access',
    sessionDurationSeconds: 3600,
  },
];
const list = compactList(entitlements);

describe('the compact list accessors', () => {
  it('read every field of every row as the entitlement had it', () => {
    expect(rowCount(list)).toBe(3);
    const read = (row: number) => ({
      accountId: accountId(list, row),
      accountName: accountName(list, row),
      color: accountColor(list, row),
      regions: regions(list, row),
      ouPath: ouPath(list, row),
      tags: tags(list, row),
      permissionSet: permissionSetName(list, row),
      description: permissionSetDescription(list, row),
      sessionSeconds: sessionSeconds(list, row),
      key: rowKey(list, row),
    });
    expect(read(0)).toEqual({
      accountId: '111111111111',
      accountName: 'payments-prod',
      color: '#d13212',
      regions: ['eu-west-1', 'us-east-1'],
      ouPath: '/Root/Prod',
      tags: ['team', 'payments'],
      permissionSet: 'AdministratorAccess',
      description: 'Full access',
      sessionSeconds: 3600,
      key: '111111111111:AdministratorAccess',
    });
    expect(read(1)).toMatchObject({ accountId: '111111111111', permissionSet: 'ReadOnly', description: '', sessionSeconds: 43200 });
    expect(read(2)).toMatchObject({ accountId: '222222222222', accountName: 'sandbox', color: '', regions: [], ouPath: '', tags: [] });
  });

  it('number accounts and permission sets so rows that share one share its number', () => {
    expect([0, 1, 2].map((row) => accountIndex(list, row))).toEqual([0, 0, 1]);
    expect([0, 1, 2].map((row) => permissionSetIndex(list, row))).toEqual([0, 1, 0]);
    const sandbox = accountIndex(list, 2);
    expect([idOfAccount(list, sandbox), nameOfAccount(list, sandbox), colorOfAccount(list, sandbox)]).toEqual(['222222222222', 'sandbox', '']);
  });

  it('expand back to the entitlements the list was made from, less the internal tags', () => {
    const [first, ...rest] = entitlements;
    expect(expandList(list)).toEqual([{ ...first, tags: { team: 'payments' } }, ...rest]);
  });
});

describe('checking a stored list', () => {
  const stored: unknown = JSON.parse(JSON.stringify(list));

  it('accepts a list as the background wrote it', () => {
    expect(isCompactList(stored)).toBe(true);
    expect(parseCompactList(stored)).toEqual(list);
  });

  it('refuses another format, a missing part or an odd number of row indexes', () => {
    for (const damaged of [undefined, 'list', { ...list, format: 2 }, { ...list, accounts: undefined }, { ...list, rows: [...list.rows, 0] }]) {
      expect(isCompactList(damaged), JSON.stringify(damaged)).toBe(false);
      expect(parseCompactList(damaged), JSON.stringify(damaged)).toBeUndefined();
    }
  });
});
