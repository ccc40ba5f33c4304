/**
 * The entitlement list as the popup reads it: one JSON string in storage.session, with each account
 * and each permission set written once and the rows as pairs of indexes into them.
 *
 * Why a string and not objects: at 10,000 rows, storage.session.get of the list as objects took
 * ~145 ms in Chromium and 8 MB of the area's 10 MB quota; this string took ~4 ms (get + JSON.parse)
 * and 0.5 MB. Pure code, no zod: the popup bundle stays small. This file holds what the popup reads;
 * compact-list-build.ts what only the background needs to write it.
 */
/** [id, name, colour or "", regions, OU path or "", tags as [key, value, key, value, ...]] */
export type AccountTuple = [string, string, string, string[], string, string[]];
/** [name, description or "", session length in seconds] */
export type PermissionSetTuple = [string, string, number];

export interface CompactList {
  format: 1;
  accounts: AccountTuple[];
  permissionSets: PermissionSetTuple[];
  /** Row r is (accounts[rows[2r]], permissionSets[rows[2r + 1]]), in display order. */
  rows: number[];
}

export function rowCount(list: CompactList): number {
  return list.rows.length / 2;
}

export function accountOf(list: CompactList, row: number): AccountTuple {
  return list.accounts[list.rows[2 * row] as number] as AccountTuple;
}

export function permissionSetOf(list: CompactList, row: number): PermissionSetTuple {
  return list.permissionSets[list.rows[2 * row + 1] as number] as PermissionSetTuple;
}

/** Stable key of a row: one (account, permission set) pair. Favourites and recents are kept by it. */
export function rowKey(list: CompactList, row: number): string {
  return `${accountOf(list, row)[0]}:${permissionSetOf(list, row)[0]}`;
}
