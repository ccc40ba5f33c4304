/**
 * What the list shows, as one Int32Array of items: a row index (>= 0) or a header (< 0).
 * Browsing (no query): favourites, then recently used, then every row under its account's header.
 * Searching: the ranked rows alone.
 */
import { accountIndex, rowCount, rowKey } from '../list-cache/compact-list.ts';
import type { CompactList } from '../list-cache/compact-list.ts';

export const FAVOURITES_HEADER = -1;
export const RECENT_HEADER = -2;
export const ALL_HEADER = -3;
const FIRST_ACCOUNT_HEADER = -4;

export function accountHeader(account: number): number {
  return FIRST_ACCOUNT_HEADER - account;
}

/** The account a header item stands for, or -1 for a section header. */
export function headerAccount(item: number): number {
  return item <= FIRST_ACCOUNT_HEADER ? FIRST_ACCOUNT_HEADER - item : -1;
}

export function isRow(item: number): boolean {
  return item >= 0;
}

export function browseItems(list: CompactList, favourites: readonly number[], recent: readonly number[]): Int32Array {
  const rows = rowCount(list);
  const favouriteSet = new Set(favourites);
  const recentOnly = recent.filter((row) => !favouriteSet.has(row));
  const pinned = favourites.length + recentOnly.length;
  // One pass, on the popup's way to its first frame: room for a header before every row, the unused end cut off.
  const items = new Int32Array(2 * rows + 3 + pinned);
  let at = 0;
  if (favourites.length > 0) {
    items[at++] = FAVOURITES_HEADER;
    for (const row of favourites) items[at++] = row;
  }
  if (recentOnly.length > 0) {
    items[at++] = RECENT_HEADER;
    for (const row of recentOnly) items[at++] = row;
  }
  if (pinned > 0) items[at++] = ALL_HEADER;
  for (let row = 0, previous = -1; row < rows; row++) {
    const account = accountIndex(list, row);
    if (account !== previous) items[at++] = FIRST_ACCOUNT_HEADER - account;
    previous = account;
    items[at++] = row;
  }
  return items.subarray(0, at);
}

/** Rows of the given keys, in the keys' order, skipping keys the list no longer has. */
export function rowsOfKeys(list: CompactList, keys: readonly string[]): number[] {
  if (keys.length === 0) return [];
  const wanted = new Map(keys.map((key, position) => [key, position]));
  const found: [number, number][] = [];
  const rows = rowCount(list);
  for (let row = 0; row < rows; row++) {
    const position = wanted.get(rowKey(list, row));
    if (position !== undefined) found.push([position, row]);
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, row]) => row);
}

/**
 * Whether the row at items[index] sits under its account: right under the account's header, or
 * under another row of the same account outside the favourites and recent sections. Such a row does
 * not repeat the account's name and ID visibly.
 */
export function isUnderItsAccount(list: CompactList, items: ArrayLike<number>, index: number): boolean {
  if (index <= 0) return false;
  const previous = items[index - 1] as number;
  const account = accountIndex(list, items[index] as number);
  return isRow(previous) ? accountIndex(list, previous) === account && !isInPinnedSection(items, index) : headerAccount(previous) === account;
}

/** Rows in the favourites and recent sections always show their account. */
function isInPinnedSection(items: ArrayLike<number>, index: number): boolean {
  for (let at = index; at >= 0; at--) {
    const item = items[at] as number;
    if (!isRow(item)) return headerAccount(item) < 0;
  }
  return false;
}
