import { describe, expect, it } from 'vitest';
import type { Entitlement } from '../../shared/api/entitlements.ts';
import { compactList } from '../list-cache/compact-list-build.ts';
import {
  ALL_HEADER,
  FAVOURITES_HEADER,
  RECENT_HEADER,
  accountHeader,
  browseItems,
  headerAccount,
  isUnderItsAccount,
  rowsOfKeys,
} from './list-items.ts';

const row = (accountName: string, accountId: string, permissionSet: string): Entitlement => ({
  accountName,
  accountId,
  permissionSet,
  regions: [],
  sessionDurationSeconds: 3600,
});
const list = compactList([
  row('data-prod', '333333333333', 'AdministratorAccess'),
  row('data-prod', '333333333333', 'ReadOnly'),
  row('sandbox', '444444444444', 'Developer'),
]);

describe('browseItems', () => {
  it('groups rows under their account', () => {
    expect(Array.from(browseItems(list, [], []))).toEqual([accountHeader(0), 0, 1, accountHeader(1), 2]);
    expect(headerAccount(accountHeader(1))).toBe(1);
    expect(headerAccount(FAVOURITES_HEADER)).toBe(-1);
  });

  it('pins favourites on top, recently used next (not twice), then everything', () => {
    expect(Array.from(browseItems(list, [2], [1, 2]))).toEqual([
      FAVOURITES_HEADER,
      2,
      RECENT_HEADER,
      1,
      ALL_HEADER,
      accountHeader(0),
      0,
      1,
      accountHeader(1),
      2,
    ]);
  });
});

describe('rowsOfKeys', () => {
  it("finds rows by key in the keys' order and skips keys the list lost", () => {
    expect(rowsOfKeys(list, ['444444444444:Developer', '999999999999:Gone', '333333333333:ReadOnly'])).toEqual([2, 1]);
  });
});

describe('isUnderItsAccount', () => {
  it('hides the account on rows under its header and under rows of the same account, never in the pinned sections', () => {
    const browse = browseItems(list, [1], []);
    expect(Array.from(browse)).toEqual([FAVOURITES_HEADER, 1, ALL_HEADER, accountHeader(0), 0, 1, accountHeader(1), 2]);
    expect([1, 4, 5, 7].map((index) => isUnderItsAccount(list, browse, index))).toEqual([false, true, true, true]);
    const twoFavourites = browseItems(list, [0, 1], []);
    expect(Array.from(twoFavourites.subarray(0, 3))).toEqual([FAVOURITES_HEADER, 0, 1]);
    expect(isUnderItsAccount(list, twoFavourites, 2)).toBe(false);
  });
});
