/**
 * The entitlement list as the popup reads it: one JSON string in storage.session, with each account
 * and each permission set written once and the rows as pairs of indexes into them.
 *
 * Why a string and not objects: at 10,000 rows, storage.session.get of the list as objects took
 * ~145 ms in Chromium and 8 MB of the area's 10 MB quota; this string took ~4 ms (get + JSON.parse)
 * and 0.5 MB. Pure code, no zod: the popup bundle stays small. This file holds what the popup reads;
 * compact-list-build.ts what only the background needs to write it.
 *
 * Only list-cache/ knows the encoding: everything else reads a list through the accessors below,
 * which index straight into it and allocate nothing (the search index and every drawn row use them).
 */
import type { Eligible, OpenRequest } from '../../shared/api/entitlements.ts';

/** [id, name, colour or "", regions, OU path or "", tags as [key, value, key, value, ...]] */
export type AccountTuple = [string, string, string, string[], string, string[]];
/** [name, description or "", session length in seconds] */
export type PermissionSetTuple = [string, string, number];

/** A row that opens only on request (elevation): the rule of asking, and the person's pending request or grant. */
export interface RowElevation {
  rule: Eligible;
  open?: OpenRequest;
}

export interface CompactList {
  format: 1;
  accounts: AccountTuple[];
  permissionSets: PermissionSetTuple[];
  /** Row r is (accounts[rows[2r]], permissionSets[rows[2r + 1]]), in display order. */
  rows: number[];
  /** The rows that open only on request, by row number; absent when there are none. Few rows, so plain objects. */
  elevation?: Record<string, RowElevation>;
}

/** The shape of a CompactList (what the popup checks before it draws a cached list; no zod here). */
export function isCompactList(value: unknown): value is CompactList {
  if (!value || typeof value !== 'object') return false;
  const list = value as Partial<CompactList>;
  return (
    list.format === 1 && Array.isArray(list.accounts) && Array.isArray(list.permissionSets) && Array.isArray(list.rows) && list.rows.length % 2 === 0
  );
}

export function rowCount(list: CompactList): number {
  return list.rows.length / 2;
}

/** The row's account as a number: rows of one account share it, and the account's header carries it. */
export function accountIndex(list: CompactList, row: number): number {
  return list.rows[2 * row] as number;
}

/** The row's permission set as a number: rows with the same permission set share it. */
export function permissionSetIndex(list: CompactList, row: number): number {
  return list.rows[2 * row + 1] as number;
}

// Each accessor indexes the encoding itself, in the same words: the minified popup compresses them to little.

// An account, by its number (accountIndex): what an account's header shows.

export function idOfAccount(list: CompactList, account: number): string {
  return (list.accounts[account] as AccountTuple)[0];
}

export function nameOfAccount(list: CompactList, account: number): string {
  return (list.accounts[account] as AccountTuple)[1];
}

/** The account's colour as policy wrote it, or "" for none. */
export function colorOfAccount(list: CompactList, account: number): string {
  return (list.accounts[account] as AccountTuple)[2];
}

// A row: one (account, permission set) pair.

export function accountId(list: CompactList, row: number): string {
  return (list.accounts[list.rows[2 * row] as number] as AccountTuple)[0];
}

export function accountName(list: CompactList, row: number): string {
  return (list.accounts[list.rows[2 * row] as number] as AccountTuple)[1];
}

/** The account's colour as policy wrote it, or "" for none. */
export function accountColor(list: CompactList, row: number): string {
  return (list.accounts[list.rows[2 * row] as number] as AccountTuple)[2];
}

/** The account's regions, its preferred one first (may be empty). */
export function regions(list: CompactList, row: number): readonly string[] {
  return (list.accounts[list.rows[2 * row] as number] as AccountTuple)[3];
}

/** The account's OU path, or "" for none. */
export function ouPath(list: CompactList, row: number): string {
  return (list.accounts[list.rows[2 * row] as number] as AccountTuple)[4];
}

/** The account's tags, flat: [key, value, key, value, ...] (switchyard: tags left out). */
export function tags(list: CompactList, row: number): readonly string[] {
  return (list.accounts[list.rows[2 * row] as number] as AccountTuple)[5];
}

export function permissionSetName(list: CompactList, row: number): string {
  return (list.permissionSets[list.rows[2 * row + 1] as number] as PermissionSetTuple)[0];
}

/** The permission set's description, or "" for none. */
export function permissionSetDescription(list: CompactList, row: number): string {
  return (list.permissionSets[list.rows[2 * row + 1] as number] as PermissionSetTuple)[1];
}

/** How long a console session as this permission set lasts. */
export function sessionSeconds(list: CompactList, row: number): number {
  return (list.permissionSets[list.rows[2 * row + 1] as number] as PermissionSetTuple)[2];
}

/** Stable key of a row: one (account, permission set) pair. Favourites and recents are kept by it. */
export function rowKey(list: CompactList, row: number): string {
  return `${accountId(list, row)}:${permissionSetName(list, row)}`;
}

/** How the row may be asked for, when it opens only on request; undefined for standing access. */
export function elevationOf(list: CompactList, row: number): RowElevation | undefined {
  return list.elevation?.[row];
}
