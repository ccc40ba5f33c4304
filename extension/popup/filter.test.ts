import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Entitlement } from '../../shared/api/contract.ts';
import { filterEntitlements, queryWords } from './filter.ts';

function entitlement(accountName: string, accountId: string, permissionSet: string, extra: Partial<Entitlement> = {}): Entitlement {
  return { accountName, accountId, permissionSet, regions: ['eu-west-1'], sessionDurationSeconds: 3600, ...extra };
}

const list = [
  entitlement('payments-prod', '111111111111', 'AdministratorAccess'),
  entitlement('payments-dev', '222222222222', 'Developer', { description: 'Build and deploy' }),
  entitlement('data-prod', '333333333333', 'ReadOnly', { regions: ['us-east-1'] }),
  entitlement('sandbox', '444444444444', 'Developer'),
];
const names = (found: Entitlement[]) => found.map((e) => `${e.accountName}/${e.permissionSet}`);

describe('filterEntitlements', () => {
  it('returns everything, in order, for an empty or blank query', () => {
    expect(filterEntitlements(list, '')).toEqual(list);
    expect(filterEntitlements(list, '   ')).toEqual(list);
  });

  it('matches account name substrings case-insensitively', () => {
    expect(names(filterEntitlements(list, 'PROD'))).toEqual(['payments-prod/AdministratorAccess', 'data-prod/ReadOnly']);
  });

  it('matches account ids and permission sets', () => {
    expect(names(filterEntitlements(list, '3333'))).toEqual(['data-prod/ReadOnly']);
    expect(names(filterEntitlements(list, 'developer'))).toEqual(['payments-dev/Developer', 'sandbox/Developer']);
  });

  it('matches description and regions', () => {
    expect(names(filterEntitlements(list, 'deploy'))).toEqual(['payments-dev/Developer']);
    expect(names(filterEntitlements(list, 'us-east'))).toEqual(['data-prod/ReadOnly']);
  });

  it('requires every word to match, each anywhere in the row', () => {
    expect(names(filterEntitlements(list, 'payments admin'))).toEqual(['payments-prod/AdministratorAccess']);
    expect(names(filterEntitlements(list, 'dev  sandbox'))).toEqual(['sandbox/Developer']);
    expect(filterEntitlements(list, 'payments readonly')).toEqual([]);
  });

  it('never adds rows, and every kept row contains every word', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (query) => {
        const found = filterEntitlements(list, query);
        expect(found.every((e) => list.includes(e))).toBe(true);
        for (const e of found) {
          const text = `${e.accountName} ${e.accountId} ${e.permissionSet} ${e.description ?? ''} ${e.regions.join(' ')}`.toLowerCase();
          for (const word of queryWords(query)) expect(text).toContain(word);
        }
      }),
    );
  });
});
