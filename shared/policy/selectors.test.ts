import { describe, expect, it } from 'vitest';
import type { Account } from './model.ts';
import { ouPathContains, selectAccounts } from './selectors.ts';

const accounts: Account[] = [
  { id: '111111111111', name: 'payments-prod', tags: { env: 'prod', unit: 'payments' }, regions: [], ouPath: '/Root/Workloads/Prod' },
  { id: '222222222222', name: 'data-prod', tags: { env: 'prod', unit: 'data' }, regions: [], ouPath: '/Root/Workloads/Prod' },
  { id: '333333333333', name: 'payments-dev', tags: { env: 'dev', unit: 'payments' }, regions: [], ouPath: '/Root/Workloads/Dev' },
  { id: '444444444444', name: 'legacy', tags: {}, regions: [] },
];
const names = (selector: Parameters<typeof selectAccounts>[1]) => selectAccounts(accounts, selector).map((account) => account.name);

describe('selectAccounts', () => {
  it('selects everything with all, nothing with an empty selector', () => {
    expect(names({ all: true })).toHaveLength(4);
    expect(names({})).toEqual([]);
  });

  it('selects by ids or names (any entry of a list)', () => {
    expect(names({ ids: ['222222222222', '444444444444'] })).toEqual(['data-prod', 'legacy']);
    expect(names({ names: ['payments-dev'] })).toEqual(['payments-dev']);
  });

  it('needs every tag to match', () => {
    expect(names({ tags: { env: 'prod' } })).toEqual(['payments-prod', 'data-prod']);
    expect(names({ tags: { env: 'prod', unit: 'payments' } })).toEqual(['payments-prod']);
  });

  it('needs every field given to match', () => {
    expect(names({ tags: { unit: 'payments' }, ouPaths: ['/Root/Workloads/Dev'] })).toEqual(['payments-dev']);
    expect(names({ names: ['legacy'], tags: { env: 'prod' } })).toEqual([]);
  });

  it('matches OU paths by whole segments, at or below the OU', () => {
    expect(names({ ouPaths: ['/Root/Workloads'] })).toEqual(['payments-prod', 'data-prod', 'payments-dev']);
    expect(names({ ouPaths: ['/Root/Work'] })).toEqual([]);
    expect(ouPathContains('/Root/Workloads/', '/Root/Workloads')).toBe(true);
    expect(ouPathContains('/Root/Workloads/Prod', '/Root/Workloads')).toBe(false);
    expect(ouPathContains('/Root', undefined)).toBe(false);
  });
});
