import { describe, expect, it } from 'vitest';
import type { Entitlement } from '../../shared/api/contract.ts';
import { sortForDisplay } from './order.ts';

const e = (accountName: string, accountId: string, permissionSet: string): Entitlement => ({
  accountName,
  accountId,
  permissionSet,
  regions: [],
  sessionDurationSeconds: 3600,
});

describe('sortForDisplay', () => {
  it('orders by account name, then account id, then permission set, without touching the input', () => {
    const input = [e('sandbox', '4', 'Developer'), e('Data-prod', '3', 'ReadOnly'), e('sandbox', '4', 'AdministratorAccess'), e('data-prod', '1', 'ReadOnly')];
    const sorted = sortForDisplay(input);
    expect(sorted.map((x) => `${x.accountName}:${x.accountId}:${x.permissionSet}`)).toEqual([
      'data-prod:1:ReadOnly',
      'Data-prod:3:ReadOnly',
      'sandbox:4:AdministratorAccess',
      'sandbox:4:Developer',
    ]);
    expect(input[0]?.accountName).toBe('sandbox');
  });
});
