/**
 * Writing, checking and expanding the CompactList: background only. The popup reads a list with the
 * accessors of compact-list.ts; this file, which writes the encoding, also reads it back itself, so
 * the background's bundle does not share the popup's accessors (they stay out of the chunk both load).
 */
import { z } from 'zod';
import { EligibleSchema, OpenRequestSchema } from '../../shared/api/entitlements.ts';
import type { Entitlement } from '../../shared/api/entitlements.ts';
import type { AccountTuple, CompactList, PermissionSetTuple } from './compact-list.ts';

/** More rows than the popup's first screen shows, even with every row under a header of its own. */
export const HEAD_ROWS = 40;

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
      list.accounts.push([
        entitlement.accountId,
        entitlement.accountName,
        entitlement.color ?? '',
        [...entitlement.regions],
        entitlement.ouPath ?? '',
        tags,
      ]);
    }
    const setKey = `${entitlement.permissionSet}\n${entitlement.description ?? ''}\n${entitlement.sessionDurationSeconds}`;
    let set = setIndex.get(setKey);
    if (set === undefined) {
      set = list.permissionSets.length;
      setIndex.set(setKey, set);
      list.permissionSets.push([entitlement.permissionSet, entitlement.description ?? '', entitlement.sessionDurationSeconds]);
    }
    if (entitlement.eligible) {
      list.elevation ??= {};
      list.elevation[list.rows.length / 2] = { rule: entitlement.eligible, ...(entitlement.openRequest ? { open: entitlement.openRequest } : {}) };
    }
    list.rows.push(account, set);
  }
  return list;
}

const CompactListSchema = z.object({
  format: z.literal(1),
  accounts: z.array(z.tuple([z.string(), z.string(), z.string(), z.array(z.string()), z.string(), z.array(z.string())])),
  permissionSets: z.array(z.tuple([z.string(), z.string(), z.number()])),
  rows: z.array(z.number().int().nonnegative()),
  elevation: z.record(z.string(), z.object({ rule: EligibleSchema, open: OpenRequestSchema.optional() })).optional(),
});

/** A list read back from storage, checked; undefined when it is not one (damaged, or another format). */
export function parseCompactList(value: unknown): CompactList | undefined {
  const list = CompactListSchema.safeParse(value);
  return list.success && list.data.rows.length % 2 === 0 ? list.data : undefined;
}

export function expandRow(list: CompactList, row: number): Entitlement {
  const [accountId, accountName, color, regions, ouPath, tags] = list.accounts[list.rows[2 * row] as number] as AccountTuple;
  const [permissionSet, description, sessionDurationSeconds] = list.permissionSets[list.rows[2 * row + 1] as number] as PermissionSetTuple;
  const elevation = list.elevation?.[row];
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
    ...(elevation ? { eligible: elevation.rule, ...(elevation.open ? { openRequest: elevation.open } : {}) } : {}),
  };
}

export function expandList(list: CompactList): Entitlement[] {
  const entitlements: Entitlement[] = [];
  for (let row = 0; row < list.rows.length / 2; row++) entitlements.push(expandRow(list, row));
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

/**
 * A list's head: its first rows and the given rows (the person's favourites and recents, wherever they are),
 * in list order, as a list of its own, with the number of rows of the whole list. The popup draws its first frame from it while it reads the whole list
 * (extension/popup/popup-start.ts); drawn from the head, the first screen is the whole list's
 * (extension/popup/list-head.test.ts holds the two equal). Rows the list does not have are left out.
 */
export function listHead(list: CompactList, rows: readonly number[], firstRows = HEAD_ROWS): { list: CompactList; rows: number } {
  const count = list.rows.length / 2;
  const kept = new Set<number>();
  for (let row = 0; row < Math.min(firstRows, count); row++) kept.add(row);
  for (const row of rows) if (Number.isInteger(row) && row >= 0 && row < count) kept.add(row);
  const head: CompactList = { format: 1, accounts: [], permissionSets: [], rows: [] };
  const accounts = new Map<number, number>();
  const permissionSets = new Map<number, number>();
  [...kept]
    .sort((a, b) => a - b)
    .forEach((row, headRow) => {
      const account = list.rows[2 * row] as number;
      const permissionSet = list.rows[2 * row + 1] as number;
      if (!accounts.has(account)) accounts.set(account, head.accounts.push(list.accounts[account] as AccountTuple) - 1);
      if (!permissionSets.has(permissionSet))
        permissionSets.set(permissionSet, head.permissionSets.push(list.permissionSets[permissionSet] as PermissionSetTuple) - 1);
      head.rows.push(accounts.get(account) as number, permissionSets.get(permissionSet) as number);
      const elevation = list.elevation?.[row];
      if (elevation) (head.elevation ??= {})[headRow] = elevation;
    });
  return { list: head, rows: count };
}
