/**
 * Drawn from a list's head (compact-list-build.ts, listHead), the popup's first screen is the whole list's:
 * the same sections, headers and rows, in the same order, with the same elevation. And a head is only drawn
 * for favourites and recents it covers (popup-start.ts, headCovers).
 */
import { describe, expect, it } from 'vitest';
import type { Eligible, Entitlement } from '../../shared/api/entitlements.ts';
import { manyEntitlements } from '../../test/fixtures/many-entitlements.ts';
import { HEAD_ROWS, compactList, listHead } from '../list-cache/compact-list-build.ts';
import type { CompactList } from '../list-cache/compact-list.ts';
import { elevationOf, idOfAccount, rowCount, rowKey } from '../list-cache/compact-list.ts';
import { browseItems, headerAccount, isRow, isUnderItsAccount, rowsOfKeys } from './list-items.ts';
import { headCovers } from './popup-start.ts';

/** More items than the popup's first screen shows with its overscan. */
const FIRST_SCREEN_ITEMS = 24;

/** What the first screen shows, item by item, in words that do not depend on the list's numbering. */
function firstScreen(list: CompactList, keys: { favourites: string[]; recents: string[] }): string[] {
  const items = browseItems(list, rowsOfKeys(list, keys.favourites), rowsOfKeys(list, keys.recents));
  return Array.from(items.subarray(0, FIRST_SCREEN_ITEMS), (item, at) => {
    if (!isRow(item)) return headerAccount(item) >= 0 ? `account ${idOfAccount(list, headerAccount(item))}` : `section ${item}`;
    const elevation = elevationOf(list, item);
    return `${rowKey(list, item)}${isUnderItsAccount(list, items, at) ? ' grouped' : ''}${elevation ? ` ${JSON.stringify(elevation)}` : ''}`;
  });
}

function headFor(list: CompactList, favourites: string[], recents: string[]) {
  const keys = [...favourites, ...recents];
  const head = listHead(list, rowsOfKeys(list, keys));
  expect(head.rows).toBe(rowCount(list));
  return head.list;
}

const eligible: Eligible = {
  maxDurationSeconds: 7200,
  defaultDurationSeconds: 3600,
  justification: { required: true },
  approval: { kind: 'approvers', groups: ['Approvers'], count: 1, distinctGroups: false },
  pendingExpirySeconds: 86400,
  extensions: { count: 1, durationSeconds: 3600 },
};
const entitlements: Entitlement[] = manyEntitlements(2_000).map((entry, at) => (at % 97 === 5 ? { ...entry, eligible } : entry));
const list = compactList(entitlements);
const key = (row: number) => rowKey(list, row);

describe("a list's head", () => {
  it('is the first rows, plus the rows of favourites and recents wherever they are, and no more', () => {
    const head = headFor(list, [key(1500)], [key(3), key(1999)]);
    expect(rowCount(head)).toBe(HEAD_ROWS + 2);
    expect(head.accounts.length).toBeLessThanOrEqual(HEAD_ROWS + 2);
    expect(JSON.stringify(head).length).toBeLessThan(JSON.stringify(list).length / 20);
  });

  it.each([
    ['no favourites or recents', [], []],
    ['favourites and recents far down the list', [1500, 7, 800], [1999, 3, 1500]],
    ['a recent that is also a favourite, and rows that open on request', [5, 102], [102, 1000, 5]],
    ['favourites the list no longer has', [-1, 42], []],
  ])('draws the first screen the whole list draws: %s', (_name, favouriteRows, recentRows) => {
    const keys = (rows: number[]) => rows.map((row) => (row < 0 ? '999999999999:Gone' : key(row)));
    const favourites = keys(favouriteRows);
    const recents = keys(recentRows);
    const head = headFor(list, favourites, recents);
    expect(firstScreen(head, { favourites, recents })).toEqual(firstScreen(list, { favourites, recents }));
    // Row 5 opens on request: every first screen shows it, so its elevation is compared too.
    expect(firstScreen(list, { favourites, recents }).some((item) => item.includes('Approvers'))).toBe(true);
  });

  it('is drawn only for favourites and recents it holds or was cut for', () => {
    const cutFor = [key(1500), '999999999999:Gone'];
    const head = headFor(list, cutFor, []);
    expect(headCovers(head, cutFor, [])).toBe(true);
    expect(headCovers(head, cutFor, cutFor)).toBe(true);
    // A row of the first screen became a recent: still drawn. A row further down did: not (the whole list is read first).
    expect(headCovers(head, cutFor, [...cutFor, key(10)])).toBe(true);
    expect(headCovers(head, cutFor, [key(1200)])).toBe(false);
  });
});
