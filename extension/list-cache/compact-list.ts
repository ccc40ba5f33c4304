/**
 * The entitlement list as the popup reads it: one JSON string in storage.session, with each account
 * and each permission set written once and the rows as pairs of indexes into them.
 *
 * Why a string and not objects: at 10,000 rows, storage.session.get of the list as objects took
 * ~145 ms in Chromium and 8 MB of the area's 10 MB quota; this string took ~4 ms (get + JSON.parse)
 * and 0.5 MB. Pure code, no zod: the popup bundle stays small, and only the background writes it.
 */
import type { Entitlement } from '../../shared/api/contract.ts';

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

/** Tags that style the account (switchyard:color, ...) are not worth searching. */
const INTERNAL_TAG_PREFIX = 'switchyard:';

export function compactList(entitlements: readonly Entitlement[]): CompactList {
  const accountIndex = new Map<string, number>();
  const setIndex = new Map<string, number>();
  const list: CompactList = { format: 1, accounts: [], permissionSets: [], rows: [] };
  for (const entitlement of entitlements) {
    let account = accountIndex.get(entitlement.accountId);
    if (account === undefined) {
      account = list.accounts.length;
      accountIndex.set(entitlement.accountId, account);
      const tags = Object.entries(entitlement.tags ?? {})
        .filter(([key]) => !key.startsWith(INTERNAL_TAG_PREFIX))
        .flat();
      list.accounts.push([entitlement.accountId, entitlement.accountName, entitlement.color ?? '', [...entitlement.regions], entitlement.ouPath ?? '', tags]);
    }
    const setKey = `${entitlement.permissionSet}\n${entitlement.description ?? ''}\n${entitlement.sessionDurationSeconds}`;
    let set = setIndex.get(setKey);
    if (set === undefined) {
      set = list.permissionSets.length;
      setIndex.set(setKey, set);
      list.permissionSets.push([entitlement.permissionSet, entitlement.description ?? '', entitlement.sessionDurationSeconds]);
    }
    list.rows.push(account, set);
  }
  return list;
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

export function expandRow(list: CompactList, row: number): Entitlement {
  const [accountId, accountName, color, regions, ouPath, tags] = accountOf(list, row);
  const [permissionSet, description, sessionDurationSeconds] = permissionSetOf(list, row);
  const tagRecord: Record<string, string> = {};
  for (let i = 0; i + 1 < tags.length; i += 2) tagRecord[tags[i] as string] = tags[i + 1] as string;
  return {
    accountId,
    accountName,
    ...(color ? { color } : {}),
    regions: [...regions],
    permissionSet,
    ...(description ? { description } : {}),
    sessionDurationSeconds,
    ...(tags.length > 0 ? { tags: tagRecord } : {}),
    ...(ouPath ? { ouPath } : {}),
  };
}

export function expandList(list: CompactList): Entitlement[] {
  const entitlements: Entitlement[] = [];
  for (let row = 0; row < rowCount(list); row++) entitlements.push(expandRow(list, row));
  return entitlements;
}

/** A cheap fingerprint of the serialised list (FNV-1a, 32 bits, plus the length): equal lists, equal versions. */
export function listVersion(serialised: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < serialised.length; i++) {
    hash ^= serialised.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${(hash >>> 0).toString(36)}-${serialised.length.toString(36)}`;
}
